using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.Core.Datasets;
using MLPipelines.Core.Imaging;
using MLPipelines.Data;
using MLPipelines.Models;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Training;
using MLPipelines.Training.Evaluation;
using MLPipelines.Training.MLNet;
using MLPipelines.Training.Transfer;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// Trials of the Greek-letter transfer (<see cref="TransferTrainer"/>): the digit network with a new last layer,
/// trained on a folder of class folders (the study's <see cref="StudyConfig.Dataset"/>) and scored on the study's
/// <see cref="StudyConfig.Validation"/> folder, or on a stratified fifth of the training letters held out (seeded
/// by the study). Parameters: approach (0 frozen, the assignment's; 1 fc1 learns too; 2 every layer), augment
/// (augmented copies of each letter), epochs, lr, momentum, batch. A trial reports once, when it has trained
/// (its epochs at the trial's target); a promoted one trains again from the digit network.
/// </summary>
public sealed class GreekTrialRunner(string digitModel, PreparedImages train, PreparedImages validation, int threads) : ITrialRunner
{
    // Loaded once for all the trials: the transfer trains a frozen copy, never the digit network itself.
    private readonly Lazy<DigitNet> digits = new(() => DigitNetFiles.Load(digitModel).Network);
    private readonly Lazy<TensorDataset> scored = new(() => new TensorDataset(validation.ToLabeledImages(), Normalization.Mnist));

    public const string Trainer = "greek-transfer";

    public static IReadOnlyDictionary<string, string> KnownParameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["approach"] = "layers that learn besides the new one: 0 none (frozen), 1 fc1, 2 all",
        ["augment"] = "augmented copies of each training letter",
        ["epochs"] = "training epochs (default: the study's --epochs)",
        ["lr"] = "learning rate",
        ["momentum"] = "SGD momentum",
        ["batch"] = "training batch size",
    };

    public static void Validate(SearchSpace space) => TrialParameters.CheckKnown(space, KnownParameters, "the Greek transfer knows");

    /// <summary>The runner for a study's trials; its letters are prepared (by the model's own graph) when the first trial is claimed.</summary>
    public static ITrialRunner ForStudy(StudyConfig config, int threads, string? digitModel = null) =>
        new LazyTrialRunner(() =>
        {
            string model = digitModel ?? config.BaseModel ?? DefaultDigitModel();
            using var preparation = new ModelPreparation(GreekLetterPreprocessor.PreprocessorName);
            var set = ImageFolderSet.Scan(config.Dataset);
            var letters = PreparedImages.Prepare(set, preparation);
            if (config.Validation is { } folder)
                return new GreekTrialRunner(model, letters, PreparedImages.Prepare(ImageFolderSet.Scan(folder, set.ClassNames), preparation), threads);
            var (kept, heldOut) = set.StratifiedSplit(0.2, config.Seed);
            return new GreekTrialRunner(model, letters.Subset(kept), letters.Subset(heldOut), threads);
        });

    /// <summary>The committed digit network (<see cref="DefaultModels.Digits"/>).</summary>
    public static string DefaultDigitModel() => DefaultModels.Digits;

    /// <summary>The transfer options of a point of the space.</summary>
    public static TransferOptions Configure(StudyConfig study, ParameterSet point, int threads)
    {
        var training = TransferOptions.DefaultTraining with { Epochs = study.Epochs, Seed = study.Seed, Threads = threads };
        var options = new TransferOptions { Training = training };
        foreach (var (name, value) in point.Values)
        {
            options = name.ToLowerInvariant() switch
            {
                "approach" => options with { FineTune = TrialParameters.Whole(name, value) switch { 0 => FineTuneLayers.None, 1 => FineTuneLayers.Fc1, 2 => FineTuneLayers.All, _ => throw new ArgumentException($"approach is 0, 1 or 2 (got {value})") } },
                "augment" => options with { AugmentCopies = TrialParameters.Whole(name, value) },
                "epochs" => options with { Training = options.Training with { Epochs = TrialParameters.Whole(name, value) } },
                "lr" => options with { Training = options.Training with { LearningRate = value } },
                "momentum" => options with { Training = options.Training with { Momentum = value } },
                "batch" => options with { Training = options.Training with { BatchSize = TrialParameters.Whole(name, value) } },
                _ => throw new ArgumentException($"unknown parameter '{name}' (the Greek transfer knows: {string.Join(", ", KnownParameters.Keys)})"),
            };
        }
        options.Validate();
        return options;
    }

    public bool Run(TrialSettings settings, ITrialReporter reporter, CancellationToken cancel)
    {
        var trial = settings.Trial;
        int used = TorchRuntime.SetThreads(threads);
        var options = Configure(settings.Study, trial.Parameters, used);
        var meter = new ResourceMeter();
        var clock = Stopwatch.StartNew();
        using var result = TransferTrainer.Train(new MLContext(seed: unchecked((int)settings.Study.Seed)), digits.Value, train, options, null, cancel);
        var evaluation = Evaluator.Evaluate(result.Model.Network, scored.Value);
        var last = result.History.Test[^1];
        var (wall, cpu) = meter.Lap();
        var record = new EpochRecord(trial.TargetEpochs, evaluation.Accuracy, evaluation.Loss, last.Loss, clock.Elapsed.TotalSeconds);
        return reporter.ReportEpoch(record, null, new ResourceUse(wall, cpu, ResourceMeter.PeakMemoryMb(), used));
    }

    public void Dispose()
    {
        if (digits.IsValueCreated) digits.Value.Dispose();
        if (scored.IsValueCreated) scored.Value.Dispose();
    }
}
