using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Core.Runs;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Training.Evaluation;
using MLPipelines.Training.MLNet;
using static TorchSharp.torch;

namespace MLPipelines.Training.Digits;

/// <summary>
/// The digit network's training as one call: an IDX data set through ML.NET (MLImages → resize → grayscale → pixels
/// → the CNN trainer), tested, its run files written (options.json, summary.txt, train_loss.csv, test_metrics.csv,
/// evaluation.json, confusion.txt, first_outputs.txt, predictions.csv, checkpoints/, log.txt) and the fitted pipeline
/// saved as the run's model.zip (with the TorchSharp weights inside). Resumable from any checkpoint; cancelling stops
/// after the current batch and leaves a checkpoint.
/// </summary>
public static class DigitTraining
{
    public const string ModelFile = "model.zip";

    public static DigitTrainingResult Run(DigitTrainingOptions options, RunFolder run, string? resumeFrom = null,
        IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        var spec = options.DatasetSpec();
        run.WriteJson("options.json", options);
        var trainImages = Limit(IdxDatasetLoader.Load(spec, options.DataFolder, DataSplit.Train), options.Training.TrainLimit);
        var testImages = Limit(IdxDatasetLoader.Load(spec, options.DataFolder, DataSplit.Test), options.Training.TestLimit);
        int threads = TorchRuntime.SetThreads(options.Training.Threads);
        manual_seed(options.Training.Seed);
        string summary;
        using (var probe = new DigitNet(options.Model))
            summary = ModelSummary.Of(probe, options.Training.BatchSize, 1, trainImages.Height, trainImages.Width).ToString();
        run.WriteText("summary.txt", summary + "\n");
        progress?.Report(WorkProgress.Line(summary));

        var ml = new MLContext(seed: (int)options.Training.Seed);
        var keys = LabeledImageData.LabelToKey(ml, spec.ClassNames);
        var images = ImagePipelines.GrayscalePixels(ml, trainImages.Width, trainImages.Height)
            .Fit(keys.Transform(LabeledImageData.FromImages(ml, testImages.Take(1))));
        var trainView = images.Transform(keys.Transform(LabeledImageData.FromImages(ml, trainImages)));
        var testView = images.Transform(keys.Transform(LabeledImageData.FromImages(ml, testImages)));

        string checkpoints = run.Folder("checkpoints");
        var trainer = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainerOptions
        {
            Network = options.Model,
            Training = options.Training,
            ValidationSet = testView,
            CheckpointDirectory = checkpoints,
            ResumeFrom = resumeFrom,
            Observer = new ProgressObserver(run, progress),
            Cancellation = cancel,
        });
        CnnModel cnn;
        try
        {
            cnn = trainer.Fit(trainView);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            string last = Path.Combine(checkpoints, "last" + Checkpoint.Extension);
            var state = Checkpoint.ReadState(last);
            WriteCurves(run, state.History);
            run.Log("interrupted");
            return new DigitTrainingResult { RunFolder = run.Path, Completed = false, State = state, Checkpoint = last, Threads = threads, Summary = summary };
        }

        using (cnn)
        {
            WriteCurves(run, cnn.State.History);
            using var test = new TensorDataset(testImages, Normalization.Mnist);
            var evaluation = Evaluator.Evaluate(cnn.Network, test, options.Training.TestBatchSize, keepOutputs: 10);
            WriteEvaluation(run, evaluation, cnn.State, threads);

            // The network inside an ML.NET pipeline, scored by ML.NET on the same test tensors (the saved model adds
            // the photo preparation in front: see NetworkModel).
            var model = images.Append(cnn);
            double mlnetAccuracy = ModelAccuracy(model.Transform(testView), testImages);
            bool digits = spec == KnownDatasets.Mnist;
            var metadata = new ModelMetadata
            {
                Kind = digits ? "digits" : spec.Name,
                Classes = spec.ClassNames,
                Width = trainImages.Width,
                Height = trainImages.Height,
                Preprocessing = digits ? "mnist-style" : ImagePreprocessors.None,
                Description = $"The assignment's CNN trained on {spec.Name} ({options.Training.Epochs} epochs, seed {options.Training.Seed})",
                TrainedWith = options.CommandLine,
                Metrics = new Dictionary<string, double> { ["test_accuracy"] = evaluation.Accuracy, ["mlnet_test_accuracy"] = mlnetAccuracy },
            };
            string path = run.File(ModelFile);
            NetworkModel.Save(ml, cnn.Network, metadata, path);
            run.Log($"done: test accuracy {evaluation.Accuracy:P2}, ML.NET model {mlnetAccuracy:P2}");
            return new DigitTrainingResult
            {
                RunFolder = run.Path, Completed = true, State = cnn.State, Evaluation = evaluation, MlNetAccuracy = mlnetAccuracy,
                ModelPath = path, Threads = threads, Summary = summary,
            };
        }
    }

    /// <summary>
    /// Tests a trained network on a data set's test split into <paramref name="run"/>: evaluation.json, confusion.txt,
    /// first_outputs.txt, predictions.csv.
    /// </summary>
    public static EvaluationResult Test(DigitNet network, IdxDatasetSpec spec, string dataFolder, RunFolder run, int threads = 0, int show = 10)
    {
        var images = IdxDatasetLoader.Load(spec, dataFolder, DataSplit.Test);
        if (network.Options.Classes != spec.ClassNames.Count)
            throw new ArgumentException($"the network has {network.Options.Classes} outputs but {spec.Name} has {spec.ClassNames.Count} classes");
        int n = TorchRuntime.SetThreads(threads);
        using var test = new TensorDataset(images, Normalization.Mnist);
        var evaluation = Evaluator.Evaluate(network, test, 1000, show);
        WriteEvaluation(run, evaluation, null, n);
        return evaluation;
    }

    /// <summary>
    /// The run and checkpoint to resume: a .ckpt file, a run folder, or (<paramref name="target"/> null) the latest
    /// unfinished run under <paramref name="runsRoot"/>. Null when there is none.
    /// </summary>
    public static (RunFolder Run, string Checkpoint)? FindResumePoint(string? target, string runsRoot)
    {
        if (target is not null && File.Exists(target) && target.EndsWith(Checkpoint.Extension, StringComparison.Ordinal))
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(target))!;
            string runDir = Path.GetFileName(dir) == "checkpoints" ? Path.GetDirectoryName(dir)! : dir;
            return (RunFolder.Open(runDir), Path.GetFullPath(target));
        }
        if (target is not null)
        {
            var run = RunFolder.Open(target);
            string last = Path.Combine(run.Path, "checkpoints", "last" + Checkpoint.Extension);
            return File.Exists(last) ? (run, last) : null;
        }
        IEnumerable<string> candidates = Directory.Exists(runsRoot) ? Directory.GetDirectories(runsRoot).OrderByDescending(d => d, StringComparer.Ordinal) : [];
        foreach (string dir in candidates)
        {
            string last = Path.Combine(dir, "checkpoints", "last" + Checkpoint.Extension);
            if (!File.Exists(last) || !File.Exists(Path.Combine(dir, "options.json"))) continue;
            if (!Checkpoint.ReadState(last).Finished) return (RunFolder.Open(dir), last);
        }
        return null;
    }

    /// <summary>The options a run recorded in its options.json.</summary>
    public static DigitTrainingOptions ReadOptions(RunFolder run) =>
        System.Text.Json.JsonSerializer.Deserialize<DigitTrainingOptions>(File.ReadAllText(run.File("options.json")))
        ?? throw new InvalidDataException($"{run.File("options.json")} is empty");

    public static void WriteEvaluation(RunFolder run, EvaluationResult e, CheckpointState? state, int threads)
    {
        new DigitRunFiles(run.Path).WriteEvaluation(new EvaluationFile
        {
            Accuracy = e.Accuracy,
            Correct = e.Correct,
            Count = e.Count,
            Loss = e.Loss,
            Classes = [.. e.ClassNames],
            PerClassAccuracy = e.PerClassAccuracy,
            Confusion = EvaluationFile.ToJagged(e.Confusion),
            Epochs = state?.History.Test.Count(t => t.Epoch > 0),
            TrainSeconds = state?.TrainSeconds,
            Threads = threads,
        });
        run.WriteText("first_outputs.txt", e.FirstOutputsText());
        run.WriteText("confusion.txt", e.ConfusionText());
        new DigitRunFiles(run.Path).WritePredictions(Enumerable.Range(0, e.Count).Select(i => new PredictionRow(i, e.Labels[i], e.Predictions[i], e.Confidences[i])));
    }

    public static void WriteCurves(RunFolder run, TrainingHistory history)
    {
        run.WriteText("train_loss.csv", history.TrainCsv());
        run.WriteText("test_metrics.csv", history.TestCsv());
    }

    private static LabeledImages Limit(LabeledImages images, int limit) => limit > 0 ? images.Take(limit) : images;

    /// <summary>Accuracy of a scored IDataView's PredictedLabel against the images' labels, row by row.</summary>
    private static double ModelAccuracy(IDataView scored, LabeledImages images)
    {
        var predicted = scored.GetColumn<string>(ModelSchema.PredictedLabel).ToList();
        int correct = predicted.Where((p, i) => p == images.ClassNames[images.Labels[i]]).Count();
        return (double)correct / images.Count;
    }

    /// <summary>Training events as progress (a bar of batches; a line per epoch) and as the run's log.</summary>
    private sealed class ProgressObserver(RunFolder run, IProgress<WorkProgress>? progress) : ITrainingObserver
    {
        private TrainingPlan? plan;

        public void OnStart(TrainingPlan p)
        {
            plan = p;
            string where = p.StartEpoch > 1 || p.StartBatch > 0 ? $" (resuming at epoch {p.StartEpoch}, batch {p.StartBatch})" : "";
            progress?.Report(WorkProgress.Line($"training: {p.Epochs} epochs x {p.BatchesPerEpoch} batches, {p.Threads} threads{where}"));
            run.Log($"start epochs={p.Epochs} batches={p.BatchesPerEpoch} threads={p.Threads} at epoch {p.StartEpoch} batch {p.StartBatch}");
        }

        public void OnBatch(BatchReport r)
        {
            if (plan is null) return;
            double done = (double)(r.Epoch - 1) * r.BatchesPerEpoch + r.Batch + 1;
            progress?.Report(new WorkProgress(done, (double)plan.Epochs * plan.BatchesPerEpoch,
                string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}/{plan.Epochs} loss {r.Loss:F4}")));
        }

        public void OnEpochEnd(TestPoint t)
        {
            string text = double.IsNaN(t.Loss)
                ? string.Create(CultureInfo.InvariantCulture, $"epoch {t.Epoch}: {t.EpochSeconds:F2} s training")
                : t.Epoch == 0
                ? string.Create(CultureInfo.InvariantCulture, $"before training: test loss {t.Loss:F4}, accuracy {t.Accuracy:P2}")
                : string.Create(CultureInfo.InvariantCulture, $"epoch {t.Epoch}: test loss {t.Loss:F4}, accuracy {t.Accuracy:P2}, {t.EpochSeconds:F2} s training");
            progress?.Report(WorkProgress.Line(text));
            run.Log(text);
        }

        public void OnCheckpoint(string path) => run.Log($"checkpoint {path}");
    }
}
