using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;
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
        var command = new Command("bench", "Featurization speed: the ML.NET pipeline one image at a time vs batched ONNX Runtime")
        {
            shared.Dataset, shared.Data, images, batches, threads, naive, shared.Gpu,
        };
        command.WithExamples("mlp animals bench animals10", "mlp animals bench hymenoptera --images 64 --batch-sizes 16 --threads 1,2");
        command.SetAction(parse =>
        {
            var set = shared.LoadSet(parse);
            int n = parse.GetValue(images);
            if (n < 1) throw new UserError("--images must be >= 1");
            // Every k-th photo: all classes and sources, not the first folder only.
            var paths = Enumerable.Range(0, Math.Min(n, set.Photos.Count)).Select(i => set.Photos[(int)((long)i * set.Photos.Count / Math.Min(n, set.Photos.Count))].Path).ToList();
            var batchSizes = Numbers(parse.GetValue(batches)!, "--batch-sizes", 1);
            var threadCounts = Numbers(parse.GetValue(threads)!, "--threads", 0);
            Console.WriteLine($"{paths.Count} photos of {set.Name}; {Environment.ProcessorCount} cores; load average {LoadAverage()}");
            if (!parse.GetValue(naive))
                foreach (int t in threadCounts) Console.WriteLine(Naive(paths, new BackboneOptions { Threads = t, GpuDeviceId = parse.GetValue(shared.Gpu) }));
            foreach (int t in threadCounts)
                foreach (int b in batchSizes)
                {
                    Interrupt.Token.ThrowIfCancellationRequested();
                    using var backbone = AnimalsShared.OpenBackbone(new BackboneOptions { Threads = t, BatchSize = b, GpuDeviceId = parse.GetValue(shared.Gpu) }, null);
                    Featurizer.Run(paths.Take(Math.Min(b, 4)).ToList(), backbone, null); // warm-up
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var (_, stats) = Featurizer.Run(paths, backbone, null, cancel: Interrupt.Token);
                    double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, stats.Computed);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"batched ONNX Runtime, batch {b,3}, {backbone.Device}: {stats.MillisecondsPerImage,6:F1} ms/image ({cpuMs:F1} ms of CPU time per image)"));
                }
            Console.WriteLine($"load average after: {LoadAverage()} (other work on the machine slows every figure)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Naive(IReadOnlyList<string> paths, BackboneOptions options)
    {
        var ml = new MLContext();
        var rows = ml.Data.LoadFromEnumerable(paths.Select(p => new FileRow { ImagePath = p }));
        var pipeline = ml.Transforms.LoadImages(BackbonePipeline.Image, "", nameof(FileRow.ImagePath)).Fit(rows);
        var backbone = BackbonePipeline.Fit(ml, options);
        backbone.Transform(pipeline.Transform(ml.Data.TakeRows(rows, 2))).GetColumn<float[]>(BackbonePipeline.FeaturesColumn).ToList(); // warm-up
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        int count = backbone.Transform(pipeline.Transform(rows)).GetColumn<float[]>(BackbonePipeline.FeaturesColumn).Count();
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
        return string.Create(CultureInfo.InvariantCulture,
            $"naive ML.NET pipeline (LoadImages, ResizeImages, ExtractPixels, 2 OnnxTransformers; one image per call), {options.EffectiveThreads} threads: {clock.Elapsed.TotalMilliseconds / count,6:F1} ms/image ({cpuMs:F1} ms of CPU time per image)");
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

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private sealed class FileRow
    {
        public string ImagePath { get; set; } = "";
    }
}
