using System.Globalization;
using Microsoft.ML;
using MLPipelines.Core.Datasets;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Core.Runs;
using MLPipelines.Models;

using MLPipelines.Training.MLNet;

namespace MLPipelines.Training.Transfer;

/// <summary>What a transfer-learning run records in options.json. <see cref="ModelOut"/>: where the caller publishes the model besides the run folder (null: nowhere).</summary>
public sealed record TransferRunOptions(string TrainFolder, string DigitModel, TransferOptions Transfer, string? ModelOut, string CommandLine);

/// <summary>What a transfer-learning run made: the letters, the networks' summaries, the curves, the model.</summary>
public sealed record TransferRunResult
{
    public required ImageFolderSet Set { get; init; }
    public required PreparedImages Letters { get; init; }
    public required ModelSummary Before { get; init; }
    public required ModelSummary After { get; init; }
    public required TrainingHistory History { get; init; }
    public required CheckpointState State { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required IReadOnlyList<string> FrozenUnchanged { get; init; }
    public required int TrainCount { get; init; }
    public required string ModelPath { get; init; }
    public required string DigitModelPath { get; init; }
    public int EpochsRun => History.Test.Count(t => t.Epoch > 0);
    public TestPoint Last => History.Test[^1];
}

/// <summary>
/// The assignment's transfer learning as one call: letters from a folder-per-class set (through the Greek-letter
/// preparation), the digit network frozen (or partly fine-tuned) with a new last layer, trained through ML.NET; the
/// summaries, curves (train_loss.csv, train_metrics.csv), training.json and model.zip written into the run folder.
/// Cancelling stops it (training takes seconds: no checkpoint) and returns null.
/// </summary>
public static class TransferRun
{
    public static TransferRunResult? Run(TransferRunOptions options, RunFolder run, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Transfer.Validate();
        run.WriteJson("options.json", options);
        void Say(string line)
        {
            progress?.Report(WorkProgress.Line(line));
            run.Log(line);
        }
        var set = ImageFolderSet.Scan(options.TrainFolder, null, warning =>
        {
            progress?.Report(WorkProgress.Warning(warning));
            run.Log($"warning: {warning}");
        });
        PreparedImages letters;
        using (var preparation = new ModelPreparation(GreekLetterPreprocessor.PreprocessorName))
            letters = PreparedImages.Prepare(set, preparation, cancel);
        progress?.Report(WorkProgress.Line($"training letters: {set.Count} in {set.ClassNames.Count} classes ({string.Join(", ", set.ClassNames.Select(c => $"{c} {set.Files.Count(f => set.ClassNames[f.Label] == c)}"))}) from {set.Root}"));

        var (digits, digitsPath) = DigitNetFiles.Load(options.DigitModel);
        using var _ = digits;
        if (digits.Options.InputSize != GreekLetterPreprocessor.Size)
            throw new InvalidDataException($"{digitsPath}: the network takes {digits.Options.InputSize}x{digits.Options.InputSize} images, the letters are {GreekLetterPreprocessor.Size}x{GreekLetterPreprocessor.Size}");

        var (before, after) = TransferTrainer.Summaries(digits, options.Transfer, set.ClassNames.Count);
        run.WriteText("summary_before.txt", before + "\n");
        run.WriteText("summary_after.txt", after + "\n");
        progress?.Report(WorkProgress.Line("The frozen digit network:\n" + before));
        progress?.Report(WorkProgress.Line($"With a new last layer of {set.ClassNames.Count} outputs ({string.Join(", ", set.ClassNames)}){(options.Transfer.FineTune == FineTuneLayers.None ? "" : $", fine-tuning {options.Transfer.FineTune.ToString().ToLowerInvariant()}")}:\n{after}"));

        var o = options.Transfer.Training;
        var ml = new MLContext(seed: unchecked((int)o.Seed));
        TransferResult result;
        try
        {
            result = TransferTrainer.Train(ml, digits, letters, options.Transfer, new EpochLines(run, progress, set.Count), cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            run.Log("interrupted");
            return null;
        }

        using (result)
        {
            var history = result.History;
            var last = history.Test[^1];
            int epochsRun = history.Test.Count(t => t.Epoch > 0);
            var state = result.Model.State;
            run.WriteText("train_loss.csv", history.TrainCsv());
            run.WriteText("train_metrics.csv", EpochCsv(history));
            var metadata = new ModelMetadata
            {
                Kind = "greek-letters",
                Classes = result.ClassNames,
                Width = GreekLetterPreprocessor.Size,
                Height = GreekLetterPreprocessor.Size,
                Preprocessing = GreekLetterPreprocessor.PreprocessorName,
                Description = $"The digit network with a new last layer for {string.Join(", ", result.ClassNames)} ({Describe(options.Transfer)}; {epochsRun} epochs, seed {o.Seed})",
                TrainedWith = options.CommandLine,
                Metrics = new Dictionary<string, double> { ["train_accuracy"] = last.Accuracy, ["train_loss"] = last.Loss, ["epochs"] = epochsRun, ["train_seconds"] = state.TrainSeconds },
            };
            string modelPath = run.File("model.zip");
            TransferTrainer.Save(ml, result, modelPath, metadata);
            new GreekRunFiles(run.Path).WriteTraining(new GreekTraining(result.ClassNames, set.Count, result.TrainCount,
                options.Transfer.FineTune.ToString().ToLowerInvariant(), options.Transfer.AugmentCopies, epochsRun, state.StoppedEarly, state.TrainSeconds,
                last.Accuracy, new GreekParameterCounts(Counts(result.Before), Counts(result.After)), TorchRuntime.SetThreads(o.Threads))
            {
                TrainLoss = last.Loss, FrozenUnchanged = result.FrozenUnchanged, DigitModel = digitsPath, Model = modelPath,
            });
            Say(string.Create(CultureInfo.InvariantCulture,
                $"trained {epochsRun} epochs{(state.StoppedEarly ? " (stopped early: the training set is learned)" : "")} in {state.TrainSeconds:F1} s on {result.TrainCount} images; training accuracy {last.Accuracy.ToString("P1", CultureInfo.InvariantCulture)}, loss {last.Loss:F4}"));
            progress?.Report(WorkProgress.Line($"frozen weights unchanged: {result.FrozenUnchanged.Count} tensors bit-identical to the digit network's ({string.Join(", ", result.FrozenUnchanged)})"));
            return new TransferRunResult
            {
                Set = set, Letters = letters, Before = result.Before, After = result.After, History = history, State = state,
                ClassNames = result.ClassNames, FrozenUnchanged = result.FrozenUnchanged, TrainCount = result.TrainCount,
                ModelPath = modelPath, DigitModelPath = digitsPath,
            };
        }
    }

    /// <summary>"frozen features" or "fine-tuning fc1", with the augmentation: how the approach reads in titles and descriptions.</summary>
    public static string Describe(TransferOptions o) =>
        (o.FineTune == FineTuneLayers.None ? "frozen features" : $"fine-tuning {o.FineTune.ToString().ToLowerInvariant()}")
        + (o.AugmentCopies > 0 ? $", {o.AugmentCopies} augmented copies" : "");

    private static GreekParameters Counts(ModelSummary s) => new(s.TotalParameters, s.TrainableParameters, s.NonTrainableParameters);

    /// <summary>Per epoch: the mean batch loss while training, then the training set's loss and accuracy after the epoch.</summary>
    private static string EpochCsv(TrainingHistory history)
    {
        var batchMeans = history.Train.GroupBy(p => p.Epoch).ToDictionary(g => g.Key, g => g.Average(p => p.Loss));
        var sb = new System.Text.StringBuilder("epoch,mean_batch_loss,train_loss,train_accuracy,epoch_seconds\n");
        foreach (var t in history.Test)
            sb.Append(CultureInfo.InvariantCulture,
                $"{t.Epoch},{(batchMeans.TryGetValue(t.Epoch, out double m) ? m.ToString("R", CultureInfo.InvariantCulture) : "")},{t.Loss:R},{t.Accuracy:R},{t.EpochSeconds:F3}\n");
        return sb.ToString();
    }

    /// <summary>A bar of batches, and a line per epoch (every one for short runs, every tenth and the first fully learnt one for long ones).</summary>
    private sealed class EpochLines(RunFolder run, IProgress<WorkProgress>? progress, int trainImages) : ITrainingObserver
    {
        private int epochs;
        private bool learned;

        public void OnStart(TrainingPlan plan)
        {
            epochs = plan.Epochs;
            progress?.Report(WorkProgress.Line($"training: up to {plan.Epochs} epochs x {plan.BatchesPerEpoch} batches, {plan.Threads} threads"));
            run.Log($"start epochs={plan.Epochs} batches={plan.BatchesPerEpoch} threads={plan.Threads}");
        }

        public void OnBatch(BatchReport r) =>
            progress?.Report(new WorkProgress((double)(r.Epoch - 1) * r.BatchesPerEpoch + r.Batch + 1, (double)epochs * r.BatchesPerEpoch,
                string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}/{epochs} loss {r.Loss:F4}")));

        public void OnEpochEnd(TestPoint t)
        {
            int right = (int)Math.Round(t.Accuracy * trainImages);
            bool show = epochs <= 25 || t.Epoch <= 1 || t.Epoch % 10 == 0 || t.Epoch == epochs || (right == trainImages && !learned);
            learned |= right == trainImages;
            string text = t.Epoch == 0
                ? string.Create(CultureInfo.InvariantCulture, $"before training: training loss {t.Loss:F4}, accuracy {right}/{trainImages}")
                : string.Create(CultureInfo.InvariantCulture, $"epoch {t.Epoch}: training loss {t.Loss:F4}, accuracy {right}/{trainImages} ({t.Accuracy:P1}), {t.EpochSeconds:F2} s");
            if (show) progress?.Report(WorkProgress.Line(text));
            run.Log(text);
        }
    }
}
