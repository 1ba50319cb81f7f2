using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLPipelines.Cli.Cli;
using MLPipelines.Prediction;
using MLPipelines.Prediction.Scoring;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp predict MODEL IMAGE...</c>: the label and probability of each image (top-k with --top, JSON with
/// --json, warm latency with --timing). A bad image is one error line; the others are still predicted and the
/// exit code is 1 at the end.
/// </summary>
public static class PredictCommand
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"];

    /// <summary>One image's result as --json writes it.</summary>
    public sealed record Item
    {
        [JsonPropertyName("image")] public required string Image { get; init; }
        [JsonPropertyName("label"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Label { get; init; }
        [JsonPropertyName("probability"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public float? Probability { get; init; }
        [JsonPropertyName("top"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<TopItem>? Top { get; init; }
        [JsonPropertyName("milliseconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Milliseconds { get; init; }
        [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; init; }
    }

    public sealed record TopItem([property: JsonPropertyName("label")] string Label, [property: JsonPropertyName("probability")] float Probability);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "A model .zip (or a run folder holding model.zip)" };
        var imagesArg = new Argument<string[]>("images")
        {
            Description = "Image files (PNG, JPEG, GIF, BMP, WebP); a folder stands for the images in it",
            Arity = ArgumentArity.OneOrMore,
        };
        var top = new Option<int>("--top") { Description = "Also list the K most probable classes", DefaultValueFactory = _ => 1, HelpName = "K" };
        var json = new Option<bool>("--json") { Description = "Write the results as a JSON array on stdout" };
        var timing = new Option<bool>("--timing") { Description = "Time each prediction (file read, preparation and model; warmed up first) and print the latency" };
        var maxPixels = CommonOptions.MaxPixels();
        var gpu = new Option<int?>("--gpu") { Description = "Run on this CUDA device when ONNX Runtime has it (the GPU build), else on the CPU, saying why", HelpName = "ID" };
        var command = new Command("predict", "Predict the class of images with a model .zip")
        {
            modelArg, imagesArg, top, json, timing, maxPixels, gpu,
        };
        command.WithExamples(
            "mlp predict models/digits.zip ../shared/data/handwritten-digits/photos/7.png",
            "mlp predict models/digits.zip ../shared/data/handwritten-digits/drawn --top 3",
            "mlp predict models/digits.zip a.png b.jpg --json",
            "mlp predict models/digits.zip ../shared/data/handwritten-digits/small --timing");
        command.SetAction(parse =>
        {
            int k = parse.GetValue(top);
            if (k < 1) throw new UserError($"--top must be at least 1 (got {k})");
            bool asJson = parse.GetValue(json), timed = parse.GetValue(timing);
            var images = Expand(parse.GetValue(imagesArg)!);

            var loadClock = Stopwatch.StartNew();
            using var classifier = Classifiers.Load(parse.GetValue(modelArg)!, CommonOptions.Limits(parse.GetValue(maxPixels)), parse.GetValue(gpu));
            double loadMs = loadClock.Elapsed.TotalMilliseconds;
            k = Math.Min(k, classifier.Classes.Count);
            double? coldMs = timed ? WarmUp(classifier, images) : null;

            var scorer = new ImageRowScorer(classifier, Directory.GetCurrentDirectory());
            var items = new List<Item>();
            var latencies = new List<double>();
            int failures = 0;
            foreach (string image in images)
            {
                if (Interrupt.Token.IsCancellationRequested) break;
                var clock = Stopwatch.StartNew();
                var result = scorer.Score(image);
                double ms = clock.Elapsed.TotalMilliseconds;
                Item item;
                if (result.Prediction is { } p)
                {
                    latencies.Add(ms);
                    item = new Item
                    {
                        Image = image, Label = p.Label, Probability = p.Probability,
                        Top = k > 1 ? p.TopK(k).Select(s => new TopItem(s.Label, s.Probability)).ToList() : null,
                        Milliseconds = timed ? Math.Round(ms, 3) : null,
                    };
                    if (!asJson) Console.WriteLine(Line(item));
                }
                else
                {
                    failures++;
                    Console.Error.WriteLine($"error: {image}: {result.Error}");
                    item = new Item { Image = image, Error = result.Error };
                }
                items.Add(item);
            }
            if (asJson) Console.WriteLine(JsonSerializer.Serialize(items, Json));
            if (timed) Timing(asJson ? Console.Error : Console.Out, loadMs, coldMs, latencies);
            if (Interrupt.Token.IsCancellationRequested) return ExitCodes.Interrupted;
            return failures > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The files to predict: each argument as given, a folder as its image files in name order.</summary>
    public static List<string> Expand(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        foreach (string a in arguments)
        {
            if (Directory.Exists(a))
            {
                var inside = Directory.EnumerateFiles(a)
                    .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).ToList();
                if (inside.Count == 0) throw new UserError($"{a}: a folder with no images ({string.Join(", ", ImageExtensions)})");
                files.AddRange(inside);
            }
            else
            {
                files.Add(a);
            }
        }
        return files;
    }

    private static string Line(Item item)
    {
        var c = CultureInfo.InvariantCulture;
        string line = string.Create(c, $"{item.Image}: {item.Label} ({item.Probability:P1})");
        if (item.Top is { } top) line += "  top " + top.Count + ": " + string.Join(", ", top.Select(t => string.Create(c, $"{t.Label} {t.Probability:P1}")));
        if (item.Milliseconds is { } ms) line += string.Create(c, $"  [{ms:F2} ms]");
        return line;
    }

    /// <summary>One untimed prediction so that the timed ones are warm (engine created, code jitted); returns its time.</summary>
    private static double? WarmUp(ImageClassifier classifier, List<string> images)
    {
        var scorer = new ImageRowScorer(classifier, Directory.GetCurrentDirectory());
        foreach (string image in images)
        {
            var clock = Stopwatch.StartNew();
            if (scorer.Score(image).Prediction is not null) return clock.Elapsed.TotalMilliseconds;
        }
        return null;
    }

    private static void Timing(TextWriter to, double loadMs, double? coldMs, List<double> latencies)
    {
        var c = CultureInfo.InvariantCulture;
        to.WriteLine(string.Create(c, $"model load {loadMs:F0} ms; first prediction (cold, not counted) {coldMs ?? double.NaN:F1} ms"));
        if (latencies.Count == 0) return;
        var sorted = latencies.Order().ToList();
        to.WriteLine(string.Create(c,
            $"latency (warm, file to prediction): median {sorted[sorted.Count / 2]:F2} ms, min {sorted[0]:F2} ms, max {sorted[^1]:F2} ms over {sorted.Count} images; load average {LoadAverage.Now()}"));
    }
}
