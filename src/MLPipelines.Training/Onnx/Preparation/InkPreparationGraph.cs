using MLPipelines.Core.Imaging;
using MLPipelines.Training.Onnx.Proto;
using A = MLPipelines.Training.Onnx.OnnxAttribute;
using T = MLPipelines.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace MLPipelines.Training.Onnx.Preparation;

/// <summary>
/// The photo preparation of <see cref="MnistStylePreprocessor"/> and <see cref="GreekLetterPreprocessor"/> as ONNX
/// nodes, so that a saved model takes any picture and needs no code of ours. The input is a fixed canvas that
/// ML.NET's image transforms (or any runtime's caller) fill: the picture scaled to fit, colour and alpha kept, the
/// rest transparent. The graph composites onto white, judges the background from the border of the picture (the
/// opaque part of the canvas), inverts a light one, stretches the contrast between Otsu's classes, finds the ink
/// leaving out specks, crops, thickens thin strokes and scales and places the glyph as MNIST did: a float32
/// [1, 784] of 0..255, bright ink on black, for the network; and <see cref="InkFoundOutput"/> (float32 [1]), 0 when the picture
/// holds no ink (blank, or too little contrast).
/// <para>
/// Differences from the C# preparation, which stays as the test oracle: percentiles come from a 1/16-level histogram
/// (within 1/32 of a level of the exact ones); specks are found from the ink's row and column profiles (runs of
/// inked columns, then rows, then columns again, kept when they hold at least 5% of the largest run's ink) instead of
/// 8-connected components, which ONNX cannot label; the resampling is ONNX's antialiased cubic Resize instead of
/// SkiaSharp's, after ML.NET has fitted the picture into the canvas.
/// </para>
/// </summary>
public sealed class InkPreparationGraph
{
    /// <summary>ONNX's Resize antialias and the Reduce*/Pad forms used here need opset 18.</summary>
    public const long Opset = 18;
    public const string InkFoundOutput = "InkFound";
    private const float InkLevel = 64f;
    private const float SpeckFraction = 0.05f;
    private const long Bins = 4096, BinsPerLevel = 16;

    private readonly OnnxGraphBuilder b;
    private readonly long height, width;
    private readonly Dictionary<long, string> indices = [];

    private InkPreparationGraph(OnnxGraphBuilder builder, long canvasHeight, long canvasWidth)
    {
        b = builder;
        height = canvasHeight;
        width = canvasWidth;
    }

    /// <summary>
    /// Adds the preparation to <paramref name="builder"/> (opset 18 or later): from <paramref name="canvas"/>, float32
    /// [1, 4, H, W] with channels in <paramref name="channels"/> order ("ARGB": ML.NET's ExtractPixels default),
    /// 0..255, to the 28x28 glyph as float32 [1, 784] (the returned name), and the <see cref="InkFoundOutput"/> value.
    /// </summary>
    public static string Add(OnnxGraphBuilder builder, string canvas, long canvasHeight, long canvasWidth, string preprocessor,
        string channels = "ARGB")
    {
        if (builder.Opset < Opset) throw new ArgumentException($"the preparation needs opset {Opset} or later (the builder has {builder.Opset})");
        if (channels.Length != 4 || "ARGB".Any(c => !channels.Contains(c)))
            throw new ArgumentException($"channels '{channels}': give the order of A, R, G and B, e.g. ARGB");
        var g = new InkPreparationGraph(builder, canvasHeight, canvasWidth);
        return g.Build(canvas, preprocessor, channels);
    }

    /// <summary>The name of the prepared 28x28 glyph in <see cref="Export"/>'s model: float32 [1, 784], 0..255.</summary>
    public const string PreparedOutput = "Prepared";

    /// <summary>The preparation alone as a model: the canvas in, <see cref="PreparedOutput"/> and <see cref="InkFoundOutput"/> out.</summary>
    public static ModelProto Export(CanvasPreparation preparation)
    {
        var b = new OnnxGraphBuilder("preparation", Opset);
        string canvas = b.AddInput(CanvasPreparation.InputName, "the picture fitted into the canvas, planar, 0..255", 1, 4, preparation.Size, preparation.Size);
        string prepared = Add(b, canvas, preparation.Size, preparation.Size, preparation.Preprocessor, preparation.Channels);
        b.AddNode("Identity", [prepared], output: PreparedOutput);
        b.AddOutput(PreparedOutput, "the prepared 28x28 glyph, row-major, 0..255, bright ink on black", 1, MnistStylePreprocessor.Size * MnistStylePreprocessor.Size);
        b.AddOutput(InkFoundOutput, "1 when the picture holds ink, 0 when it is blank", 1);
        return b.Build($"the {preparation.Preprocessor} preparation of a {preparation.Size}x{preparation.Size} canvas");
    }

    private string Build(string canvas, string preprocessor, string channels)
    {
        string Channel(char c)
        {
            long i = channels.IndexOf(c);
            return b.Reshape(b.Slice(canvas, [i], [i + 1], 1), height, width);
        }
        string alpha = b.Div(Channel('A'), F(255f));
        string luma = b.Add(b.Add(b.Mul(Channel('R'), F(0.299f)), b.Mul(Channel('G'), F(0.587f))), b.Mul(Channel('B'), F(0.114f)));
        // Onto white, as ImageDecoder.ToGray does: a * luma + (1 - a) * 255.
        string gray = b.Add(b.Mul(alpha, luma), b.Mul(b.Sub(F(1f), alpha), F(255f)));

        // The picture is the opaque part of the canvas (its bounding box); what is around it is padding.
        string opaque = b.ToFloat(b.Greater(alpha, F(0f)));
        var (r0, r1) = Extent(b.ReduceMax(opaque, [1]));
        var (c0, c1) = Extent(b.ReduceMax(opaque, [0]));
        string inside = b.Mul(b.Unsqueeze(Between(Index(height), r0, r1), 1), b.Unsqueeze(Between(Index(width), c0, c1), 0));
        string onRowEdge = b.Or(b.Equal(Index(height), r0), b.Equal(Index(height), r1));
        string onColEdge = b.Or(b.Equal(Index(width), c0), b.Equal(Index(width), c1));
        string border = b.Mul(inside, b.ToFloat(b.Or(b.Unsqueeze(onRowEdge, 1), b.Unsqueeze(onColEdge, 0))));

        // InkNormalizer.BrightInkOnBlack: invert a light background, Otsu, paper median to 0, ink's 90th percentile to 255.
        string borderMedian = Percentile(Histogram(gray, border), F(0.5f), null);
        string light = b.Greater(borderMedian, F(127f));
        string v = b.Where(light, b.Sub(F(255f), gray), gray);
        string histogram = Histogram(v, inside);
        string level = Otsu(b.ReduceSum(b.Reshape(histogram, 256, BinsPerLevel), [1]));
        string split = b.Add(b.Mul(level, I(BinsPerLevel)), I(BinsPerLevel / 2)); // first fine bin above level + 0.5
        string cumulative = b.CumSum(histogram);
        string paper = b.Scalar(b.Gather(cumulative, b.Sub(split, I(1))));
        string total = b.Scalar(b.Slice(cumulative, [Bins - 1], [Bins], 0));
        string ink = b.Sub(total, paper);
        string background = FirstBinAbove(cumulative, b.Floor(b.Mul(F(0.5f), b.Sub(paper, F(1f)))));
        string full = FirstBinAbove(cumulative, b.Add(paper, b.Floor(b.Mul(F(0.9f), b.Sub(ink, F(1f))))));
        string contrast = b.Sub(full, background);
        string found = b.And(b.And(b.Greater(paper, F(0f)), b.Greater(ink, F(0f))), b.GreaterOrEqual(contrast, F(24f)));
        string stretched = b.Mul(b.Clip(b.Mul(b.Sub(v, background), b.Div(F(255f), b.Max(contrast, F(1f)))), F(0f), F(255f)), inside);

        // The glyph without specks: runs of inked columns, rows, columns again (see the class summary).
        string mask = b.ToFloat(b.Greater(stretched, F(InkLevel)));
        string cols = KeepRuns(b.ReduceSum(mask, [0]), width);
        string rows = KeepRuns(b.ReduceSum(b.Mul(mask, b.Unsqueeze(cols, 0)), [1]), height);
        cols = KeepRuns(b.ReduceSum(b.Mul(b.Mul(mask, b.Unsqueeze(rows, 1)), b.Unsqueeze(cols, 0)), [0]), width);
        var (y0, y1) = Extent(rows);
        var (x0, x1) = Extent(cols);
        // As InkComponents: the kept strokes grown by one pixel (their anti-aliased edges), nothing else; paper
        // noise would otherwise be amplified by the stretch and spread by the stroke thickening.
        string core = b.Mul(mask, b.Mul(b.Unsqueeze(rows, 1), b.Unsqueeze(cols, 0)));
        string near = b.Squeeze(b.AddNode("MaxPool", [b.Unsqueeze(core, 0, 1)], hint: "near_ink",
            attributes: [A.Ints("kernel_shape", [3, 3]), A.Ints("pads", [1, 1, 1, 1]), A.Ints("strides", [1, 1])]), 0, 1);
        string glyph = b.Mul(stretched, near);
        found = b.And(found, b.Greater(b.ReduceMax(rows, [0]), F(0f)));
        b.AddNode("Cast", [b.Reshape(found, 1)], output: InkFoundOutput, hint: "ink_found", attributes: A.Int("to", (long)T.Float));

        string prepared = preprocessor switch
        {
            "mnist-style" => MnistStyle(glyph, y0, y1, x0, x1),
            GreekLetterPreprocessor.PreprocessorName => GreekLetter(glyph, y0, y1, x0, x1),
            _ => throw new ArgumentException($"no ONNX form of the preparation '{preprocessor}'"),
        };
        // The C# path hands the network bytes: round as it does.
        return b.Reshape(b.Clip(b.Round(prepared), F(0f), F(255f)), 1, MnistStylePreprocessor.Size * MnistStylePreprocessor.Size);
    }

    /// <summary>MnistStylePreprocessor after the ink: crop, strokes, fit the 20x20 box, centre of mass at the middle of 28x28.</summary>
    private string MnistStyle(string glyph, string y0, string y1, string x0, string x1)
    {
        string crop = b.Slice(glyph, b.Concat(0, b.Unsqueeze(y0, 0), b.Unsqueeze(x0, 0)),
            b.Concat(0, b.Unsqueeze(b.Add(y1, I(1)), 0), b.Unsqueeze(b.Add(x1, I(1)), 0)), 0, 1);
        string h = b.ToFloat(b.Add(b.Sub(y1, y0), I(1))), w = b.ToFloat(b.Add(b.Sub(x1, x0), I(1)));
        string scale = b.Div(F(MnistStylePreprocessor.Box), b.Max(h, w));
        crop = Thicken(crop, scale, GreekLetterPreprocessor.DefaultStrokeTarget);
        string outH = b.Max(b.Round(b.Mul(h, scale)), F(1f)), outW = b.Max(b.Round(b.Mul(w, scale)), F(1f));
        string digit = Resize(crop, outH, outW);
        return CenterByMass(digit, outH, outW);
    }

    /// <summary>GreekLetterPreprocessor after the ink: a square frame around the letter, strokes, 36x36, the middle 28x28.</summary>
    private string GreekLetter(string glyph, string y0, string y1, string x0, string x1)
    {
        string extent = b.Max(b.Add(b.Sub(x1, x0), I(1)), b.Add(b.Sub(y1, y0), I(1)));
        string side = b.Max(b.ToInt64(b.Ceil(b.Div(b.ToFloat(extent), F((float)GreekLetterPreprocessor.DefaultFill)))), I(1));
        // (x0 + x1 + 1 - side) / 2, truncated toward zero as C#'s integer division is.
        string left = b.Div(b.Sub(b.Add(b.Add(x0, x1), I(1)), side), I(2));
        string top = b.Div(b.Sub(b.Add(b.Add(y0, y1), I(1)), side), I(2));
        // Pad by the side on every edge, so that a frame reaching past the picture reads zeros there.
        string sides = b.Concat(0, b.Unsqueeze(side, 0), b.Unsqueeze(side, 0), b.Unsqueeze(side, 0), b.Unsqueeze(side, 0));
        string padded = b.Pad(glyph, sides);
        string start = b.Concat(0, b.Unsqueeze(b.Add(top, side), 0), b.Unsqueeze(b.Add(left, side), 0));
        string frame = b.Slice(padded, start, b.Add(start, b.Concat(0, b.Unsqueeze(side, 0), b.Unsqueeze(side, 0))), 0, 1);
        string scale = b.Div(F(GreekLetterPreprocessor.Scaled), b.ToFloat(side));
        frame = Thicken(frame, scale, GreekLetterPreprocessor.DefaultStrokeTarget);
        string scaled = Resize(frame, F(GreekLetterPreprocessor.Scaled), F(GreekLetterPreprocessor.Scaled));
        long margin = (long)Math.Round((GreekLetterPreprocessor.Scaled - GreekLetterPreprocessor.Size) / 2.0, MidpointRounding.ToEven);
        return b.Slice(scaled, [margin, margin], [margin + GreekLetterPreprocessor.Size, margin + GreekLetterPreprocessor.Size], 0, 1);
    }

    /// <summary>
    /// StrokeWidth.Normalize: the stroke width is the ink's area over half its outline (4-neighbours, the edge of the
    /// image counting as paper); strokes are grown by a (2r+1)-square max filter, r 3x3 max-pools in a Loop.
    /// </summary>
    private string Thicken(string image, string scale, double target)
    {
        string m = b.ToFloat(b.Greater(image, F(InkLevel)));
        string p = b.Pad(m, b.Int64s(1, 1, 1, 1));
        string shape = b.Shape(m);
        string Shifted(long dy, long dx) => b.Slice(p, b.Int64s(1 + dy, 1 + dx), b.Add(shape, b.Int64s(1 + dy, 1 + dx)), 0, 1);
        string interior = b.Mul(b.Mul(b.Mul(b.Mul(m, Shifted(-1, 0)), Shifted(1, 0)), Shifted(0, -1)), Shifted(0, 1));
        string area = b.ReduceSum(m, [0, 1]);
        string edge = b.Sub(area, b.ReduceSum(interior, [0, 1]));
        string strokeWidth = b.Where(b.Greater(edge, F(0f)), b.Div(b.Mul(F(2f), area), b.Max(edge, F(1f))), F(0f));
        string radius = b.Round(b.Div(b.Sub(b.Div(F((float)target), scale), strokeWidth), F(2f)));
        string trips = b.ToInt64(b.Max(radius, F(0f)));

        var body = new OnnxGraphBuilder(b.FreeName("dilate"), b.Opset);
        string iteration = body.AddInput(b.FreeName("dilate_i"), null, T.Int64, []);
        string condition = body.AddInput(b.FreeName("dilate_cond"), null, T.Bool, []);
        string state = body.AddInput(b.FreeName("dilate_in"), null, T.Float, null);
        string keepGoing = body.AddNode("Identity", [condition], output: b.FreeName("dilate_cond_out"));
        string grown = body.AddNode("MaxPool", [state], output: b.FreeName("dilate_out"),
            attributes: [A.Ints("kernel_shape", [3, 3]), A.Ints("pads", [1, 1, 1, 1]), A.Ints("strides", [1, 1])]);
        body.AddOutput(keepGoing, null, T.Bool, []);
        body.AddOutput(grown, null, T.Float, null);
        // Reserve the body's names in the outer graph too: ONNX wants every name in a model distinct.
        foreach (var n in new[] { iteration, condition, state, keepGoing, grown }) b.Reserve(n);

        string image4 = b.Unsqueeze(image, 0, 1);
        string loop = b.AddNode("Loop", [trips, b.AddBool(true), image4], hint: "dilate", attributes: A.Graph("body", body.BuildGraph()));
        return b.Squeeze(loop, 0, 1);
    }

    /// <summary>
    /// ONNX Resize, cubic with antialiasing, to <paramref name="h"/> x <paramref name="w"/>, clipped to 0..255. Cubic
    /// rather than linear: a small picture the canvas has enlarged comes back to 20 px sharper, as MNIST's digits are
    /// (400 MNIST test digits as pictures, fitted into the canvas by SkiaSharp: 395 right with cubic, 391 with linear,
    /// 397 through the C# preparation; see docs/models.md).
    /// </summary>
    private string Resize(string image, string h, string w)
    {
        string sizes = b.Concat(0, b.Int64s(1, 1), b.Unsqueeze(b.ToInt64(h), 0), b.Unsqueeze(b.ToInt64(w), 0));
        string resized = b.AddNode("Resize", [b.Unsqueeze(image, 0, 1), "", "", sizes], hint: "Resize",
            attributes: [A.String("mode", "cubic"), A.Int("antialias", 1), A.String("coordinate_transformation_mode", "half_pixel")]);
        return b.Clip(b.Squeeze(resized, 0, 1), F(0f), F(255f));
    }

    /// <summary>MnistStylePreprocessor.CenterByMass: pad the digit into 28x28 with its centre of mass at (14, 14), inside the field.</summary>
    private string CenterByMass(string digit, string h, string w)
    {
        const float size = MnistStylePreprocessor.Size;
        string mass = b.ReduceSum(digit, [0, 1]);
        string ys = b.Add(b.RangeFloat(b.ToInt64(h)), F(0.5f)), xs = b.Add(b.RangeFloat(b.ToInt64(w)), F(0.5f));
        string my = b.ReduceSum(b.Mul(digit, b.Unsqueeze(ys, 1)), [0, 1]);
        string mx = b.ReduceSum(b.Mul(digit, b.Unsqueeze(xs, 0)), [0, 1]);
        string any = b.Greater(mass, F(0f));
        string cy = b.Where(any, b.Div(my, b.Max(mass, F(1e-12f))), b.Div(h, F(2f)));
        string cx = b.Where(any, b.Div(mx, b.Max(mass, F(1e-12f))), b.Div(w, F(2f)));
        string top = b.Clip(b.Round(b.Sub(F(size / 2), cy)), F(0f), b.Sub(F(size), h));
        string left = b.Clip(b.Round(b.Sub(F(size / 2), cx)), F(0f), b.Sub(F(size), w));
        string bottom = b.Sub(b.Sub(F(size), h), top), right = b.Sub(b.Sub(F(size), w), left);
        string pads = b.ToInt64(b.Concat(0, b.Unsqueeze(top, 0), b.Unsqueeze(left, 0), b.Unsqueeze(bottom, 0), b.Unsqueeze(right, 0)));
        return b.Pad(digit, pads);
    }

    /// <summary>Of a 0/1 profile: its first and last index where it is 1 (both 0 when it is all 0).</summary>
    private (string First, string Last) Extent(string profile) => (b.ArgMax(profile), b.ArgMax(profile, last: true));

    /// <summary>1 where <paramref name="first"/> &lt;= index &lt;= <paramref name="last"/>, else 0 (float).</summary>
    private string Between(string index, string first, string last) =>
        b.ToFloat(b.And(b.GreaterOrEqual(index, first), b.LessOrEqual(index, last)));

    /// <summary>0..n-1 as int64.</summary>
    private string Index(long n)
    {
        if (!indices.TryGetValue(n, out var name))
            indices[n] = name = b.AddInitializer(b.FreeName($"index_{n}"), Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray(), n);
        return name;
    }

    /// <summary>The weighted histogram of 0..255 values in 1/16-level bins.</summary>
    private string Histogram(string values, string weights)
    {
        string bins = b.ToInt64(b.Clip(b.Floor(b.Mul(values, F(BinsPerLevel))), F(0f), F(Bins - 1)));
        return b.ScatterAdd(b.Reshape(bins, -1), b.Reshape(weights, -1), Bins);
    }

    /// <summary>The value at rank floor(q (n - 1)) of the histogram's n values (null: the histogram's own total).</summary>
    private string Percentile(string histogram, string q, string? total)
    {
        string cumulative = b.CumSum(histogram);
        total ??= b.Scalar(b.Slice(cumulative, [Bins - 1], [Bins], 0));
        return FirstBinAbove(cumulative, b.Floor(b.Mul(q, b.Sub(total, F(1f)))));
    }

    /// <summary>The middle of the first bin whose cumulative count exceeds <paramref name="rank"/>: the value of that rank.</summary>
    private string FirstBinAbove(string cumulative, string rank)
    {
        string bin = b.ArgMax(b.ToFloat(b.Greater(cumulative, rank)));
        return b.Div(b.Add(b.ToFloat(bin), F(0.5f)), F(BinsPerLevel));
    }

    /// <summary>InkNormalizer.Otsu over a 256-bin histogram (in double, as the C# is), as an int64 level.</summary>
    private string Otsu(string histogram)
    {
        string h = b.ToDouble(histogram);
        string levels = b.AddInitializer(b.FreeName("levels"), Enumerable.Range(0, 256).Select(i => (double)i).ToArray(), 256);
        string weightBack = b.CumSum(h);
        string sumBack = b.CumSum(b.Mul(h, levels));
        string total = b.ReduceSum(h, [0]), sumAll = b.ReduceSum(b.Mul(h, levels), [0]);
        string weightFore = b.Sub(total, weightBack);
        string zero = D(0), one = D(1);
        string meanBack = b.Div(sumBack, b.Max(weightBack, one));
        string meanFore = b.Div(b.Sub(sumAll, sumBack), b.Max(weightFore, one));
        string gap = b.Sub(meanBack, meanFore);
        string between = b.Mul(b.Mul(b.Mul(weightBack, weightFore), gap), gap);
        string valid = b.And(b.Greater(weightBack, zero), b.Greater(weightFore, zero));
        string scored = b.Where(valid, between, D(-1));
        string best = b.ArgMax(scored);
        // No valid split (one value only): the C# keeps its starting level, 127.
        return b.Where(b.Greater(b.ReduceMax(scored, [0]), zero), best, I(127));
    }

    /// <summary>
    /// A 0/1 profile of the runs of a projection (ink per column or row) holding at least
    /// <see cref="SpeckFraction"/> of the largest run's ink.
    /// </summary>
    private string KeepRuns(string projection, long length)
    {
        string occupied = b.ToFloat(b.Greater(projection, F(0f)));
        string previous = b.Concat(0, b.AddInitializer(b.FreeName("zero1"), [0f], 1), b.Slice(occupied, [0], [length - 1], 0));
        string starts = b.Mul(occupied, b.Sub(F(1f), previous));
        string id = b.ToInt64(b.Mul(b.CumSum(starts), occupied));
        string mass = b.ScatterAdd(id, projection, length + 1);
        var notBackground = Enumerable.Repeat(1f, (int)length + 1).ToArray();
        notBackground[0] = 0f;
        mass = b.Mul(mass, b.AddInitializer(b.FreeName("runs"), notBackground, length + 1));
        string largest = b.ReduceMax(mass, [0]);
        string keep = b.ToFloat(b.And(b.GreaterOrEqual(mass, b.Mul(largest, F(SpeckFraction))), b.Greater(mass, F(0f))));
        return b.Gather(keep, id);
    }

    private string F(float value) => b.AddScalar(value);
    private string I(long value) => b.AddInt64(value);
    private string D(double value) => b.AddInitializer(b.FreeName("double"), new[] { value });
}
