using MLPipelines.Core.Imaging;
using MLPipelines.Tests.Support;
using SkiaSharp;

namespace MLPipelines.Core.Tests.Imaging;

[TestClass]
public sealed class GreekLetterPreprocessorTests
{
    private static readonly SKColor Paper = new(0xD0, 0xD0, 0xD0);
    private static readonly SKColor Pencil = new(0x30, 0x30, 0x30);
    private static readonly SKColor Green = new(0x1E, 0x50, 0x0A);

    private static GrayImage Process(byte[] png) => new GreekLetterPreprocessor().Process(ImageDecoder.DecodeGray(png));

    [TestMethod]
    public void GivesBrightInkOnBlackAt28x28WithTheLetterAt36TimesFill()
    {
        var output = Process(LetterDrawings.Alpha(133, Pencil, Paper));

        Assert.AreEqual(28, output.Width);
        Assert.AreEqual(28, output.Height);
        // Inverted and stretched: the grey paper is black, the pencil bright.
        Assert.AreEqual(0f, Corners(output).Max(), "background");
        Assert.IsTrue(output.Pixels.Max() > 200, $"brightest ink {output.Pixels.Max()}");
        var (w, h) = InkExtent(output);
        double expected = GreekLetterPreprocessor.Scaled * GreekLetterPreprocessor.DefaultFill;
        Assert.AreEqual(expected, Math.Max(w, h), 2.5, $"letter extent {w}x{h}");
    }

    [TestMethod]
    public void TransparentBackgroundIsCompositedOntoWhite()
    {
        // RGBA: green strokes on a fully transparent background (whose RGB is black), like setB.
        var transparent = Process(LetterDrawings.Alpha(300, Green, SKColors.Transparent));
        var onWhite = Process(LetterDrawings.Alpha(300, Green, SKColors.White));

        Assert.IsTrue(transparent.Pixels.Max() > 200, "the strokes must not vanish");
        Assert.AreEqual(0f, Corners(transparent).Max(), "the transparent background must become the black background");
        Assert.IsTrue(MeanAbsoluteDifference(transparent, onWhite) < 2, $"difference {MeanAbsoluteDifference(transparent, onWhite)}");
    }

    [TestMethod]
    public void LightInkOnDarkGivesTheSameAsDarkInkOnLight()
    {
        var darkOnLight = Process(LetterDrawings.Gamma(133, Pencil, Paper));
        var lightOnDark = Process(LetterDrawings.Gamma(133, new SKColor(0xF0, 0xF0, 0xF0), new SKColor(0x18, 0x18, 0x18)));

        Assert.AreEqual(0f, Corners(lightOnDark).Max());
        Assert.IsTrue(MeanAbsoluteDifference(darkOnLight, lightOnDark) < 6, $"difference {MeanAbsoluteDifference(darkOnLight, lightOnDark)}");
    }

    [TestMethod]
    public void AnySizeGivesTheSameLetter()
    {
        var small = Process(LetterDrawings.Alpha(133, Pencil, Paper));
        var large = Process(LetterDrawings.Alpha(640, SKColors.Black, SKColors.White));
        var narrow = Process(LetterDrawings.Alpha(400, SKColors.Black, SKColors.White, strokeFraction: 0.012f));

        Assert.IsTrue(Correlation(small, large) > 0.85, $"133 vs 640 px: correlation {Correlation(small, large):F3}");
        // A thin pen line on a large drawing is thickened, not left to fade below a pixel.
        Assert.IsTrue(Correlation(small, narrow) > 0.8, $"thin strokes: correlation {Correlation(small, narrow):F3}");
        Assert.IsTrue(narrow.Pixels.Count(p => p > 128) > 40, $"thin strokes kept {narrow.Pixels.Count(p => p > 128)} bright pixels");
    }

    [TestMethod]
    public void LetterOffCentreWithSpecksIsFramed()
    {
        // A small letter in a corner and a speck in the other, like setA's signed scans.
        using var bitmap = SKBitmap.Decode(LetterDrawings.Gamma(60, SKColors.Black, SKColors.White));
        using var page = new SKBitmap(new SKImageInfo(200, 200, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(page))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(bitmap, 130, 10);
            using var dot = new SKPaint { Color = SKColors.Black };
            canvas.DrawRect(10, 185, 2, 2, dot);
        }
        using var encoded = SKImage.FromBitmap(page).Encode(SKEncodedImageFormat.Png, 100);
        var framed = Process(encoded.ToArray());
        var centred = Process(LetterDrawings.Gamma(133, SKColors.Black, SKColors.White));

        Assert.IsTrue(Correlation(framed, centred) > 0.85, $"correlation {Correlation(framed, centred):F3}");
    }

    [TestMethod]
    public void BlankImageIsAnError()
    {
        using var bitmap = new SKBitmap(100, 100);
        bitmap.Erase(SKColors.White);
        using var encoded = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        Assert.ThrowsExactly<InvalidImageException>(() => Process(encoded.ToArray()));
    }

    [TestMethod]
    public void CenterCropTakesTheMiddleAsTorchvisionDoes()
    {
        var image = new GrayImage(36, 36);
        for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = i % 36 + 100 * (i / 36);
        var crop = GreekLetterPreprocessor.CenterCrop(image, 28);
        Assert.AreEqual(4 + 100 * 4, crop[0, 0]);
        Assert.AreEqual(31 + 100 * 31, crop[27, 27]);
    }

    [TestMethod]
    public void IsTheNamedPreprocessorModelsAskFor()
    {
        Assert.IsInstanceOfType<GreekLetterPreprocessor>(ImagePreprocessors.Get("greek-letter"));
    }

    [TestMethod]
    [RequiresData("greek")]
    public void SharedTestLettersOfEveryStyleComeOutAlike()
    {
        string greek = Path.Combine(TestData.RequireRoot(), "greek");
        // setA: grayscale scans; setB: RGBA green on transparent; setC: ~600 px RGBA black on white.
        var outputs = new[] { "test/beta/setA_beta_003.png", "test/beta/setB_3.png", "test/beta/setC_beta_1.png", "train/beta/beta_004.png" }
            .Select(f => Process(File.ReadAllBytes(Path.Combine(greek, f)))).ToList();
        foreach (var o in outputs)
        {
            Assert.AreEqual(0f, Corners(o).Max(), "background");
            var (w, h) = InkExtent(o);
            Assert.AreEqual(GreekLetterPreprocessor.Scaled * GreekLetterPreprocessor.DefaultFill, Math.Max(w, h), 2.5);
            Assert.IsTrue(o.Pixels.Count(p => p > 128) > 40, "strokes visible");
        }
    }

    private static float[] Corners(GrayImage g) => [g[0, 0], g[g.Width - 1, 0], g[0, g.Height - 1], g[g.Width - 1, g.Height - 1]];

    private static (int W, int H) InkExtent(GrayImage g, float level = 64)
    {
        int x0 = g.Width, y0 = g.Height, x1 = -1, y1 = -1;
        for (int y = 0; y < g.Height; y++)
        for (int x = 0; x < g.Width; x++)
        {
            if (g[x, y] <= level) continue;
            x0 = Math.Min(x0, x);
            y0 = Math.Min(y0, y);
            x1 = Math.Max(x1, x);
            y1 = Math.Max(y1, y);
        }
        return (x1 - x0 + 1, y1 - y0 + 1);
    }

    private static double MeanAbsoluteDifference(GrayImage a, GrayImage b) => a.Pixels.Zip(b.Pixels).Average(p => Math.Abs(p.First - p.Second));

    private static double Correlation(GrayImage a, GrayImage b)
    {
        double ma = a.Pixels.Average(), mb = b.Pixels.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Pixels.Length; i++)
        {
            double da = a.Pixels[i] - ma, db = b.Pixels[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
