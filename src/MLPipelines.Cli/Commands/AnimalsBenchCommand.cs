using System.CommandLine;
using System.Globalization;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Features.Quantization;
using MLPipelines.Cli.Cli;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp animals bench</c>: milliseconds per image of ResNet18 featurization, the naive way (the ML.NET pipeline,
/// one image per ONNX call, as a saved model runs) against the batched featurizer training uses, for the batch
/// sizes and thread counts asked for. No cache: every image is decoded and run.
/// </summary>
public static class AnimalsBenchCommand
{
    public static Command Create()
    {
        var shared = new AnimalsShared();
        var images = new Option<int>("--images") { Description = "Photos to featurize per measurement", DefaultValueFactory = _ => 128 };
        var batches = new Option<string>("--batch-sizes") { Description = "Batch sizes to measure, comma-separated", DefaultValueFactory = _ => "1,8,16,32" };
        var threads = new Option<string>("--threads") { Description = "ONNX Runtime thread counts to measure, comma-separated (0 = one per core)", DefaultValueFactory = _ => "0" };
        var naive = new Option<bool>("--no-naive") { Description = "Skip the naive ML.NET pipeline measurement" };
        var precisions = new Option<string>("--precision")
        {
            Description = "Networks to measure, comma-separated: fp32, int8 (quantized, calibrated on the set's photos and kept in the feature cache folder)",
            DefaultValueFactory = _ => "fp32,int8",
        };
        var command = new Command("bench", "Featurization speed: the ML.NET pipeline one image at a time vs batched ONNX Runtime")
        {
            shared.Dataset, shared.Data, images, batches, threads, naive, precisions, shared.Gpu, shared.Runs, shared.Cache,
        };
        command.WithExamples("mlp animals bench animals10", "mlp animals bench hymenoptera --images 64 --batch-sizes 16 --threads 1,2",
            "mlp animals bench hymenoptera --precision int8 --no-naive");
        command.SetAction(parse =>
        {
            var set = shared.LoadSet(parse);
            int n = parse.GetValue(images);
            if (n < 1) throw new UserError("--images must be >= 1");
            var paths = FeaturizationBenchmark.Spread(set.Photos.Select(p => p.Path).ToList(), n);
            var batchSizes = Numbers(parse.GetValue(batches)!, "--batch-sizes", 1);
            var threadCounts = Numbers(parse.GetValue(threads)!, "--threads", 0);
            var networks = Precisions(parse.GetValue(precisions)!).Select(p => Network(p, set, shared.CacheFolder(parse))).ToList();
            Console.WriteLine($"{paths.Count} photos of {set.Name}; load average {LoadAverage.Now()}");
            foreach (var network in networks)
            {
                if (!parse.GetValue(naive))
                    foreach (int t in threadCounts) Print(FeaturizationBenchmark.Naive(paths, new BackboneOptions { Threads = t, GpuDeviceId = parse.GetValue(shared.Gpu), Network = network }));
                foreach (int t in threadCounts)
                    foreach (int b in batchSizes)
                    {
                        Interrupt.Token.ThrowIfCancellationRequested();
                        Print(FeaturizationBenchmark.Batched(paths, new BackboneOptions { Threads = t, BatchSize = b, GpuDeviceId = parse.GetValue(shared.Gpu), Network = network }, Interrupt.Token));
                    }
            }
            Console.WriteLine($"load average after: {LoadAverage.Now()} (other work on the machine slows every figure)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<BackbonePrecision> Precisions(string text)
    {
        try
        {
            var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BackbonePrecisions.Parse)
                .Select(BackbonePrecisions.Resolve).Distinct().ToList();
            return list.Count > 0 ? list : throw new UserError("--precision names no value");
        }
        catch (ArgumentException e)
        {
            throw new UserError($"--precision: {e.Message}");
        }
    }

    /// <summary>Null for FP32 (the package's network); the INT8 one calibrated on the set's photos, made once and kept in the cache folder.</summary>
    private static BackboneNetwork? Network(BackbonePrecision precision, Animals.Data.PhotoSet set, string cacheFolder)
    {
        if (precision != BackbonePrecision.Int8) return null;
        var made = Int8Backbone.Prepare(cacheFolder, set.Photos.Select(p => p.Path).ToList(), new QuantizationOptions(), cancel: Interrupt.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"INT8 network: calibrated on {made.CalibrationImages} photos of {set.Name}{(made.FromCache ? ", from the cache" : $" in {made.Seconds:F1} s")}: {made.Network.ModelPath}"));
        return made.Network;
    }

    private static void Print(FeaturizationTiming t)
    {
        if (t.Note is not null) Console.Error.WriteLine($"warning: {t.Note}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{t.Method}, {t.Device}: {t.MillisecondsPerImage,6:F1} ms/image ({t.CpuMillisecondsPerImage:F1} ms of CPU time per image)"));
    }

    private static List<int> Numbers(string text, string option, int min)
    {
        var list = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, CultureInfo.InvariantCulture, out int v) || v < min || v > 256) throw new UserError($"{option}: '{part}' is not a number from {min} to 256");
            list.Add(v);
        }
        return list.Count > 0 ? list : throw new UserError($"{option} names no value");
    }
}
