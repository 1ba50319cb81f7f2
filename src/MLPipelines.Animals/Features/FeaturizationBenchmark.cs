using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Animals.Features;

/// <summary>One measurement: wall and CPU milliseconds per image, and where it ran.</summary>
/// <param name="Note">Why a GPU asked for was not used, when it was not.</param>
public sealed record FeaturizationTiming(string Method, int Images, double MillisecondsPerImage, double CpuMillisecondsPerImage, string Device,
    string? Note = null);

/// <summary>
/// Milliseconds per image of ResNet18 featurization, the naive way (the ML.NET pipeline, one image per ONNX call, as a
/// saved model runs) against the batched featurizer training uses. No cache: every image is decoded and run. A
/// benchmark (what <c>mlp animals bench</c> prints), not a test: the figures depend on the machine and its load.
/// </summary>
public static class FeaturizationBenchmark
{
    /// <summary>Every k-th of <paramref name="paths"/>, <paramref name="count"/> in all: all classes and sources, not the first folder only.</summary>
    public static IReadOnlyList<string> Spread(IReadOnlyList<string> paths, int count)
    {
        int n = Math.Min(count, paths.Count);
        return Enumerable.Range(0, n).Select(i => paths[(int)((long)i * paths.Count / n)]).ToList();
    }

    /// <summary>The ML.NET pipeline (LoadImages, ResizeImages, ExtractPixels, two OnnxTransformers), one image per call.</summary>
    public static FeaturizationTiming Naive(IReadOnlyList<string> paths, BackboneOptions options)
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
        return new FeaturizationTiming("naive ML.NET pipeline (one image per call)", count, clock.Elapsed.TotalMilliseconds / count, cpuMs,
            $"{options.EffectiveThreads} threads, {options.Network?.Describe() ?? "FP32"}");
    }

    /// <summary>The batched featurizer with <paramref name="options"/>' batch size and threads, after a short warm-up.</summary>
    public static FeaturizationTiming Batched(IReadOnlyList<string> paths, BackboneOptions options, CancellationToken cancel = default)
    {
        using var backbone = new OnnxBackbone(options);
        Featurizer.Run(paths.Take(Math.Min(options.BatchSize, 4)).ToList(), backbone, null); // warm-up
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (_, stats) = Featurizer.Run(paths, backbone, null, cancel: cancel);
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, stats.Computed);
        return new FeaturizationTiming($"batched ONNX Runtime, batch {options.BatchSize}", stats.Computed, stats.MillisecondsPerImage, cpuMs,
            backbone.Device, backbone.GpuFallbackReason);
    }

    private sealed class FileRow
    {
        public string ImagePath { get; set; } = "";
    }
}
