using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Evaluation;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Figures;
using MLPipelines.Animals.Heads;
using MLPipelines.Animals.Model;
using MLPipelines.Core.Runs;
using MLPipelines.Prediction;

namespace MLPipelines.Animals.Training;

/// <summary>One head's results on the cached features.</summary>
public sealed record HeadResult(string Name, string Description, double TrainSeconds, ClassificationReport? Validation, ClassificationReport? Test);

/// <summary>What a transfer run made: every head's results, the saved head's evaluation, the model, the timings; or where it stopped.</summary>
public sealed record AnimalsTrainingResult
{
    public required string RunFolder { get; init; }
    public required bool Completed { get; init; }
    public PreparedFeatures? Features { get; init; }
    public IReadOnlyList<HeadResult> Heads { get; init; } = [];
    public ClassificationReport? Evaluation { get; init; }
    /// <summary>"test" or "validation": the split the saved head is reported on.</summary>
    public string? EvaluationSplit { get; init; }
    public string? ModelPath { get; init; }
    public double TotalSeconds { get; init; }
    public string? Device { get; init; }
}

/// <summary>
/// Transfer learning from the frozen ImageNet ResNet18 as one call: features once (from the cache, else batched on ONNX
/// Runtime), every head trained on them and compared (heads.csv, heads_*.png), the chosen head's evaluation
/// (<see cref="EvaluationFiles"/>), model.zip (backbone + head, ML.NET's own transformers), reloaded through
/// <see cref="ImageClassifier"/> and checked from the image files, timing.json. Cancelling keeps the computed features
/// cached; the result says where it stopped.
/// </summary>
public static class AnimalsTraining
{
    public static AnimalsTrainingResult Run(AnimalsTrainingOptions o, PhotoSet set, Split[] splits, RunFolder run,
        IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        o.Validate();
        AnimalsTrainingOptions.CheckSplits(set, splits);
        var clock = Stopwatch.StartNew();
        void Say(string line)
        {
            progress?.Report(WorkProgress.Line(line));
            run.Log(line);
        }
        run.WriteJson("options.json", o with { Dataset = set.Root });
        string summary = PhotoSetSummary.Describe(set, splits);
        run.WriteText("summary.txt", summary);
        SplitFile.Write(run.File(SplitFile.Name), set, splits);
        progress?.Report(WorkProgress.Line(summary.Split("\n\nimage sizes")[0]));
        foreach (var s in set.Skipped) Say($"skipped {Path.GetRelativePath(set.Root, s.Path)}: {s.Reason}");

        // 1. Features, once: from the cache, else batched on ONNX Runtime (an INT8 network is calibrated first).
        BackboneOptions backboneOptions;
        try
        {
            backboneOptions = ChooseNetwork(o, set, splits, Say, progress, cancel);
        }
        catch (OperationCanceledException)
        {
            Say("interrupted while calibrating the INT8 network; nothing of it was kept");
            return new AnimalsTrainingResult { RunFolder = run.Path, Completed = false };
        }
        using var backbone = new OnnxBackbone(backboneOptions);
        if (backbone.GpuFallbackReason is { } why)
        {
            progress?.Report(WorkProgress.Warning(why));
            run.Log($"warning: {why}");
        }
        var cache = FeatureCache.Open(o.CacheFolder, set.Root, backboneOptions.CacheId);
        PreparedFeatures prepared;
        try
        {
            prepared = Featurize(set, splits, backbone, cache, o.Augment, progress, cancel);
        }
        catch (OperationCanceledException)
        {
            Say($"interrupted: {cache.Count} feature vectors are cached in {cache.FilePath}; the same run again continues from them");
            return new AnimalsTrainingResult { RunFolder = run.Path, Completed = false, Device = backbone.Device };
        }
        Say(string.Create(CultureInfo.InvariantCulture,
            $"features: {prepared.Plain.Total} photos ({prepared.Plain.FromCache} cached, {prepared.Plain.Computed} computed), {prepared.Augmented.Total} augmented views " +
            $"({prepared.Augmented.FromCache} cached, {prepared.Augmented.Computed} computed); {prepared.MillisecondsPerImage:F1} ms/image on {backbone.Device}, batches of {backbone.Options.BatchSize}"));
        foreach (var (path, reason) in prepared.Failed) Say($"skipped {path}: {reason}");
        progress?.Report(WorkProgress.Line($"split: {prepared.TrainPhotos.Length} train ({prepared.Train.Count} rows with augmentation), {prepared.ValidationPhotos.Length} validation, {prepared.TestPhotos.Length} test; cache {cache.FilePath}"));

        // 2. Heads, on the cached features.
        var ml = new MLContext(seed: o.Seed);
        var headOptions = new HeadOptions { Seed = o.Seed, Mlp = o.Mlp, LbfgsL2 = o.LbfgsL2 };
        var trained = new List<(TrainedHead Head, HeadResult Result)>();
        try
        {
            foreach (string name in o.Heads)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Report(WorkProgress.Line($"\nhead {name}: {HeadCatalog.Describe(name)}"));
                var head = HeadCatalog.Train(ml, name, prepared.Train, prepared.Validation, headOptions, line =>
                {
                    progress?.Report(WorkProgress.Line("  " + line));
                    run.Log(line);
                }, cancel);
                foreach (string note in head.Notes.Where(n => !n.StartsWith("mlp epoch", StringComparison.Ordinal))) progress?.Report(WorkProgress.Line("  " + note));
                var result = new HeadResult(head.Name, head.Description, head.TrainSeconds, Report(ml, head, prepared.Validation), Report(ml, head, prepared.Test));
                trained.Add((head, result));
                Say(string.Create(CultureInfo.InvariantCulture, $"  {name}: validation {Percent(result.Validation)}, test {Percent(result.Test)}, trained in {head.TrainSeconds:F1} s"));
            }
        }
        catch (OperationCanceledException)
        {
            Say("interrupted while training the heads; the features are cached, so the same run again starts here");
            foreach (var t in trained) t.Head.Dispose();
            return new AnimalsTrainingResult { RunFolder = run.Path, Completed = false, Features = prepared, Heads = trained.Select(t => t.Result).ToList(), Device = backbone.Device };
        }
        try
        {
            var results = trained.Select(t => t.Result).ToList();
            progress?.Report(WorkProgress.Line("\n" + HeadComparison.Write(run, set.Name, results)));

            // 3. The chosen head: evaluation, figures, and the model .zip.
            var chosen = trained.Single(t => t.Head.Name == o.Save);
            string splitName = prepared.EvaluationSplit == Split.Test ? "test" : "validation";
            var evaluation = (prepared.EvaluationSplit == Split.Test ? chosen.Result.Test : chosen.Result.Validation)!;
            progress?.Report(WorkProgress.Line($"\nsaved head: {o.Save}, on the {splitName} split ({evaluation.Count} photos)"));
            progress?.Report(WorkProgress.Line(EvaluationFiles.Write(run, set, prepared.EvaluationPhotos, evaluation, splitName, $"{set.Name}, head {o.Save}")));

            var metrics = new Dictionary<string, double> { [$"{splitName}_accuracy"] = evaluation.Accuracy };
            if (chosen.Result.Validation is not null && splitName != "validation") metrics["validation_accuracy"] = chosen.Result.Validation.Accuracy;
            var metadata = AnimalModel.Metadata(set.ClassNames, $"{set.Name}: frozen ImageNet ResNet18 + {chosen.Head.Description}", o.CommandLine, metrics);
            string modelPath = run.File("model.zip");
            AnimalModel.Save(ml, BackbonePipeline.Fit(ml, backboneOptions), chosen.Head.PipelineTransformers(ml), metadata, modelPath);
            Say(CheckSavedModel(modelPath, set, prepared.EvaluationPhotos, evaluation, o.Backbone.EffectiveThreads));

            double total = clock.Elapsed.TotalSeconds;
            Say(string.Create(CultureInfo.InvariantCulture,
                $"model: {modelPath} ({new FileInfo(modelPath).Length / 1e6:F0} MB)\ntotal time: {total:F1} s (features {prepared.ComputeSeconds:F1} s for {prepared.ComputedImages} images, " +
                $"{prepared.MillisecondsPerImage:F1} ms/image on {backbone.Device}; heads {results.Sum(r => r.TrainSeconds):F1} s)"));
            new Report.AnimalsRunFiles(run.Path).WriteTiming(new Report.AnimalTiming
            {
                TotalSeconds = total, FeatureSeconds = prepared.ComputeSeconds, ImagesComputed = prepared.ComputedImages,
                MillisecondsPerImage = prepared.MillisecondsPerImage, Device = backbone.Device, BatchSize = o.Backbone.BatchSize,
                HeadSeconds = results.ToDictionary(r => r.Name, r => r.TrainSeconds),
            });
            return new AnimalsTrainingResult
            {
                RunFolder = run.Path, Completed = true, Features = prepared, Heads = results, Evaluation = evaluation, EvaluationSplit = splitName,
                ModelPath = modelPath, TotalSeconds = total, Device = backbone.Device,
            };
        }
        finally
        {
            foreach (var t in trained) t.Head.Dispose();
        }
    }

    /// <summary>The backbone options with the network the precision asks for: INT8 is quantized (or found cached) for the training photos.</summary>
    private static BackboneOptions ChooseNetwork(AnimalsTrainingOptions o, PhotoSet set, Split[] splits, Action<string> say,
        IProgress<WorkProgress>? progress, CancellationToken cancel)
    {
        if (o.Backbone.Network is not null || BackbonePrecisions.Resolve(o.Precision) != BackbonePrecision.Int8) return o.Backbone;
        var train = set.Photos.Where((_, i) => splits[i] == Split.Train).Select(p => p.Path).ToList();
        var made = Features.Quantization.Int8Backbone.Prepare(o.CacheFolder, train, o.Quantization with { Threads = o.Backbone.Threads },
            new Progress<(int Done, int Total)>(p => progress?.Report(new WorkProgress(p.Done, p.Total, $"calibrating INT8 {p.Done}/{p.Total}"))), cancel);
        string how = made.FromCache ? "from the cache" : string.Create(CultureInfo.InvariantCulture, $"in {made.Seconds:F1} s");
        say($"backbone: INT8 ResNet18 calibrated on {made.CalibrationImages} training photos, {how}: {made.Network.ModelPath}");
        return o.Backbone with { Network = made.Network };
    }

    private static PreparedFeatures Featurize(PhotoSet set, Split[] splits, OnnxBackbone backbone, FeatureCache cache, string augmentation,
        IProgress<WorkProgress>? progress, CancellationToken cancel)
    {
        int views = Augmentation.Views(augmentation).Count;
        int trainCount = splits.Count(s => s == Split.Train);
        double total = set.Photos.Count + (double)views * trainCount;
        var offsets = new Dictionary<string, double>();
        return PreparedFeatures.Compute(set, splits, backbone, cache, augmentation, (stage, done, count) =>
        {
            if (!offsets.ContainsKey(stage)) offsets[stage] = offsets.Count == 0 ? 0 : set.Photos.Count + (offsets.Count - 1.0) * trainCount;
            progress?.Report(new WorkProgress(offsets[stage] + done, total, $"{stage} {done}/{count}"));
        }, cancel);
    }

    private static ClassificationReport? Report(MLContext ml, TrainedHead head, HeadData data) =>
        data.Count == 0 ? null : ClassificationReport.From(head.ClassNames, data.Labels, head.Predict(ml, data.Features));

    private static string Percent(ClassificationReport? r) => r is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{r.Accuracy:P2} ({r.Correct}/{r.Count})");

    /// <summary>
    /// Loads model.zip back through <see cref="ImageClassifier"/> (the project's prediction API) and checks that it
    /// predicts, from the image files, what the head did from the features.
    /// </summary>
    private static string CheckSavedModel(string path, PhotoSet set, int[] photos, ClassificationReport expected, int threads)
    {
        int n = Math.Min(8, photos.Length);
        using var classifier = ImageClassifier.Load(path, threads);
        var scores = EvaluationFiles.Probabilities(classifier, photos.Take(n).Select(i => set.Photos[i].Path).ToList());
        double worst = 0;
        for (int k = 0; k < n; k++)
        {
            var p = scores[k] ?? throw new InvalidOperationException($"saved model could not read {set.Photos[photos[k]].Path}");
            worst = Math.Max(worst, p.Select((s, c) => Math.Abs(s - expected.Probabilities[k][c])).Max());
        }
        if (worst > 1e-3)
            throw new InvalidOperationException($"the saved model's probabilities differ from the trained head's by up to {worst:G3}: the backbone pipeline and the featurizer disagree");
        return string.Create(CultureInfo.InvariantCulture, $"saved model reloaded with ImageClassifier and checked from the image files: same probabilities on {n} photos (max difference {worst:G2})");
    }
}
