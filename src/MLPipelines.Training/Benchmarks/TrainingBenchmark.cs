using System.Diagnostics;
using MLPipelines.Core.Imaging;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Training.Evaluation;
using static TorchSharp.torch;

namespace MLPipelines.Training.Benchmarks;

/// <summary>What <see cref="TrainingBenchmark.Run"/> times: a recipe's epoch on a data set, <see cref="Repeats"/> times from fresh weights.</summary>
public sealed record TrainingBenchmarkOptions
{
    public required LabeledImages Train { get; init; }
    public required LabeledImages Test { get; init; }
    public string Recipe { get; init; } = "assignment";
    /// <summary>libtorch threads (0: one per core).</summary>
    public int Threads { get; init; }
    public int Repeats { get; init; } = 3;
    /// <summary>The same data as IDX files and the python to run the PyTorch reference on them, epoch for epoch (null: ours alone).</summary>
    public IdxFiles? PyTorchFiles { get; init; }
    public string Python { get; init; } = "python3";
}

/// <summary>One timed epoch: training seconds, then the test set's inference seconds.</summary>
public sealed record BenchmarkEpoch(int Number, double TrainSeconds, double InferenceSeconds, int TrainImages, int TestImages)
{
    public double TrainImagesPerSecond => TrainImages / TrainSeconds;
    public double InferenceImagesPerSecond => TestImages / InferenceSeconds;
}

/// <summary>The timed epochs and their summary (best and median), with the settings they ran with.</summary>
public sealed record TrainingBenchmarkResult(IReadOnlyList<BenchmarkEpoch> Epochs, int Threads, int BatchSize, int TestBatchSize)
{
    public double BestSeconds => Epochs.Min(e => e.TrainSeconds);
    public double MedianSeconds => Median(Epochs.Select(e => e.TrainSeconds));
    public double BestInferenceImagesPerSecond => Epochs.Max(e => e.InferenceImagesPerSecond);
    /// <summary>The PyTorch reference's epochs, each run right after ours (empty when not asked for).</summary>
    public IReadOnlyList<PyTorchEpoch> PyTorch { get; init; } = [];
    public double PyTorchMedianSeconds => Median(PyTorch.Select(e => e.TrainSeconds));
    public double PyTorchBestInferenceImagesPerSecond => PyTorch.Max(e => e.InferenceImagesPerSecond);
    /// <summary>How many times faster our median epoch is than PyTorch's.</summary>
    public double Speedup => PyTorchMedianSeconds / MedianSeconds;

    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}

/// <summary>
/// Seconds per epoch and images per second of the digit network's training, and the test set's inference throughput:
/// what <c>mlp bench train</c> prints. A benchmark, not a test: its figures depend on the machine and its load.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>Times the epochs, each reported as it ends; a cancelled run returns the epochs done (none: no result).</summary>
    /// <param name="reference">Hears each PyTorch epoch, when <see cref="TrainingBenchmarkOptions.PyTorchFiles"/> asks for them.</param>
    public static TrainingBenchmarkResult? Run(TrainingBenchmarkOptions options, IProgress<BenchmarkEpoch>? progress = null, CancellationToken cancel = default,
        IProgress<PyTorchEpoch>? reference = null)
    {
        int threads = TorchRuntime.SetThreads(options.Threads);
        var recipe = Recipes.Get(options.Recipe) with { Epochs = 1, Threads = threads };
        using var train = new TensorDataset(options.Train, Normalization.Mnist);
        using var test = new TensorDataset(options.Test, Normalization.Mnist);
        var epochs = new List<BenchmarkEpoch>();
        var pytorch = new List<PyTorchEpoch>();
        for (int r = 0; r < Math.Max(1, options.Repeats) && !cancel.IsCancellationRequested; r++)
        {
            manual_seed(recipe.Seed + r);
            using var model = new DigitNet(new DigitNetOptions { Classes = options.Train.ClassNames.Count });
            using var trainer = new DigitTrainer(model, recipe, train, test);
            trainer.Run(cancel);
            if (cancel.IsCancellationRequested) break;
            var clock = Stopwatch.StartNew();
            Evaluator.Evaluate(model, test, recipe.TestBatchSize, 0);
            var epoch = new BenchmarkEpoch(r + 1, trainer.State.TrainSeconds, clock.Elapsed.TotalSeconds, train.Count, test.Count);
            epochs.Add(epoch);
            progress?.Report(epoch);
            // Alternating, so that both see the same state of the machine (load, clocks) as it drifts.
            if (options.PyTorchFiles is { } files)
            {
                var theirs = PyTorchReference.RunEpoch(files, recipe, threads, model.Options.Dropout, recipe.Seed + r, options.Python, cancel);
                pytorch.Add(theirs);
                reference?.Report(theirs);
            }
        }
        return epochs.Count == 0 ? null : new TrainingBenchmarkResult(epochs, threads, recipe.BatchSize, recipe.TestBatchSize) { PyTorch = pytorch };
    }
}
