using MLPipelines.Core.Imaging;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.Download;
using MLPipelines.Models;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Training;
using static TorchSharp.torch;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// Trains the digit network with a trial's parameters on data loaded once per worker. Every trial trains with the
/// study's seed and the full epoch count's options (so a learning-rate schedule is the same whether a successive
/// halving trial stops at a rung or goes on), and stops at the trial's target epochs.
/// </summary>
/// <param name="ownsData">Dispose the data sets with the runner.</param>
public sealed class DigitTrialRunner(TensorDataset train, TensorDataset test, int threads, bool ownsData = false) : ITrialRunner
{
    /// <summary>
    /// The runner for a study's trials, made (its data set found, fetched when missing, and loaded) when the first trial
    /// is claimed, so a worker with nothing to do loads nothing.
    /// </summary>
    /// <param name="folderOf">Finds the data set's folder (default: <see cref="DatasetAccess.Ensure"/> under <paramref name="data"/>).</param>
    public static ITrialRunner ForStudy(StudyConfig config, DataLocation data, int threads, Func<IdxDatasetSpec, string>? folderOf = null) =>
        new LazyTrialRunner(() =>
        {
            var spec = IdxDatasetResolver.Resolve(config.Dataset, config.Classes);
            string folder = folderOf?.Invoke(spec) ?? DatasetAccess.Ensure(data, spec).Folder;
            var train = IdxDatasetLoader.Load(spec, folder, DataSplit.Train);
            var test = IdxDatasetLoader.Load(spec, folder, DataSplit.Test);
            TorchRuntime.SetThreads(threads);
            return new DigitTrialRunner(new TensorDataset(train, Normalization.Mnist), new TensorDataset(test, Normalization.Mnist), threads, ownsData: true);
        });

    /// <summary>The parameters this runner understands, and what they set.</summary>
    public static IReadOnlyDictionary<string, string> KnownParameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["dropout"] = "Dropout2d rate after conv2",
        ["batch"] = "training batch size (also batch_size)",
        ["kernel"] = "convolution kernel size (also kernel_size)",
        ["lr"] = "learning rate",
        ["momentum"] = "SGD momentum",
        ["weight_decay"] = "L2 weight decay",
        ["hidden"] = "units of the hidden fully connected layer",
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["batch_size"] = "batch", ["kernel_size"] = "kernel",
    };

    public static void Validate(SearchSpace space)
    {
        foreach (var p in space.Parameters)
        {
            string name = Aliases.GetValueOrDefault(p.Name, p.Name);
            if (!KnownParameters.ContainsKey(name))
                throw new ArgumentException($"unknown parameter '{p.Name}' (the digit network knows: {string.Join(", ", KnownParameters.Keys)})");
        }
    }

    /// <summary>The network and training options of a point of the space.</summary>
    public static (DigitNetOptions Model, TrainingOptions Training) Configure(StudyConfig study, ParameterSet point, int threads)
    {
        var model = new DigitNetOptions { Classes = study.ClassCount };
        var training = Recipes.Get(study.Recipe) with
        {
            Epochs = study.Epochs, Seed = study.Seed, Threads = threads, TrainLimit = study.TrainLimit, TestLimit = study.TestLimit,
        };
        foreach (var (raw, value) in point.Values)
        {
            switch (Aliases.GetValueOrDefault(raw, raw).ToLowerInvariant())
            {
                case "dropout": model = model with { Dropout = value }; break;
                case "batch": training = training with { BatchSize = TrialParameters.Whole(raw, value) }; break;
                case "kernel": model = model with { KernelSize = TrialParameters.Whole(raw, value) }; break;
                case "hidden": model = model with { Hidden = TrialParameters.Whole(raw, value) }; break;
                case "lr": training = training with { LearningRate = value }; break;
                case "momentum": training = training with { Momentum = value }; break;
                case "weight_decay": training = training with { WeightDecay = value }; break;
                default: throw new ArgumentException($"unknown parameter '{raw}' (the digit network knows: {string.Join(", ", KnownParameters.Keys)})");
            }
        }
        model.Validate();
        training.Validate();
        return (model, training);
    }

    public bool Run(TrialSettings settings, ITrialReporter reporter, CancellationToken cancel)
    {
        var trial = settings.Trial;
        int used = TorchRuntime.SetThreads(threads);
        var (modelOptions, trainingOptions) = Configure(settings.Study, trial.Parameters, used);
        string scratch = Path.Combine(Path.GetTempPath(), $"mlp-trial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            manual_seed(trainingOptions.Seed);
            using var model = new DigitNet(modelOptions);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var observer = new Observer(reporter, trial.TargetEpochs, stop, trainingOptions.Threads);
            using var trainer = new DigitTrainer(model, trainingOptions, train, test, Path.Combine(scratch, "checkpoints"), observer);
            if (settings.Checkpoint is not null)
            {
                string path = Path.Combine(scratch, "resume" + Checkpoint.Extension);
                File.WriteAllBytes(path, settings.Checkpoint);
                trainer.Restore(path);
                if (trainer.State.Epoch - 1 >= trial.TargetEpochs) return true;
            }
            trainer.Run(stop.Token);
            return observer.Reached && !observer.Lost;
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }

    public void Dispose()
    {
        if (!ownsData) return;
        train.Dispose();
        test.Dispose();
    }

    /// <summary>Turns the trainer's epochs and checkpoints into reports; stops the trainer at the target epochs.</summary>
    private sealed class Observer(ITrialReporter reporter, int target, CancellationTokenSource stop, int threads) : ITrainingObserver
    {
        private readonly ResourceMeter meter = new();
        private TestPoint? pending;
        private double lossSum;
        private int lossCount;

        public bool Reached { get; private set; }
        public bool Lost { get; private set; }

        public void OnBatch(BatchReport report)
        {
            lossSum += report.Loss;
            lossCount++;
        }

        public void OnEpochEnd(TestPoint test)
        {
            if (test.Epoch == 0) Report(new EpochRecord(0, test.Accuracy, test.Loss, double.NaN, 0), null);
            else pending = test;
        }

        public void OnCheckpoint(string path)
        {
            // Epoch checkpoints are "epoch-NN.ckpt"; the one the trainer writes when stopped is not reported.
            if (pending is null || !Path.GetFileName(path).StartsWith("epoch-", StringComparison.Ordinal)) return;
            var t = pending;
            pending = null;
            double trainLoss = lossCount > 0 ? lossSum / lossCount : double.NaN;
            lossSum = 0;
            lossCount = 0;
            Report(new EpochRecord(t.Epoch, t.Accuracy, t.Loss, trainLoss, t.EpochSeconds), File.ReadAllBytes(path));
            if (t.Epoch >= target)
            {
                Reached = true;
                stop.Cancel();
            }
        }

        private void Report(EpochRecord record, byte[]? checkpoint)
        {
            var (wall, cpu) = meter.Lap();
            if (reporter.ReportEpoch(record, checkpoint, new ResourceUse(wall, cpu, ResourceMeter.PeakMemoryMb(), threads))) return;
            Lost = true;
            stop.Cancel();
        }
    }
}
