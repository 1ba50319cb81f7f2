using MLPipelines.Core.Runs;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Evaluation;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Figures;
using MLPipelines.Animals.Heads;
using MLPipelines.Animals.Model;
using MLPipelines.Animals.Training;
using MLPipelines.Cli.Cli;
using MLPipelines.Prediction;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp animals train</c>: transfer learning from the frozen ImageNet ResNet18. Features are computed once
/// (batched ONNX Runtime, cached), every head asked for is trained and compared on them, and the chosen head is
/// saved with the backbone as one ML.NET model (model.zip) that the project's prediction API loads.
/// </summary>
public static class AnimalsTrainCommand
{
    public static Command Create()
    {
        var shared = new AnimalsShared();
        var heads = new Option<string>("--heads")
        {
            Description = $"Heads to train and compare, comma-separated ({string.Join(", ", HeadCatalog.Names)})",
            DefaultValueFactory = _ => string.Join(',', HeadCatalog.Names),
        };
        var save = new Option<string?>("--save") { Description = "The head saved in model.zip (default: the first of --heads)", HelpName = "HEAD" };
        var augment = new Option<string>("--augment")
        {
            Description = "Extra views of the training photos: none, mirror, or full (mirror, zoom 0.8, both)",
            DefaultValueFactory = _ => "full",
        };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of the MLP head", DefaultValueFactory = _ => new MlpHeadOptions().Epochs };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate of the MLP head", DefaultValueFactory = _ => new MlpHeadOptions().LearningRate };
        var dropout = new Option<double>("--dropout") { Description = "Dropout of the MLP head", DefaultValueFactory = _ => new MlpHeadOptions().Dropout };
        var command = new Command("train", "Train heads on the frozen ResNet18's features, compare them, save the chosen one as model.zip")
        {
            shared.Dataset, shared.Data, shared.Runs, heads, save, augment, epochs, lr, dropout,
        };
        shared.AddSplitOptions(command);
        shared.AddBackboneOptions(command);
        command.WithExamples(
            "mlp animals train hymenoptera",
            "mlp animals train animals10 --heads lbfgs,mlp --save mlp",
            "mlp animals train animals10 --heads lbfgs --augment none --threads 2 --batch-size 32",
            "mlp animals train ~/photos/birds --test-fraction 0.2 --seed 3",
            "mlp animals train animals10 --gpu 0            (CUDA if ONNX Runtime has it, else the CPU, saying why)");

        command.SetAction(parse =>
        {
            var headNames = ParseHeads(parse.GetValue(heads)!);
            string saved = parse.GetValue(save) ?? headNames[0];
            if (!headNames.Contains(saved)) throw new UserError($"--save {saved} is not among --heads {string.Join(',', headNames)}");
            string augmentation = parse.GetValue(augment)!;
            if (!Augmentation.Names.Contains(augmentation)) throw new UserError($"unknown --augment '{augmentation}' (known: {string.Join(", ", Augmentation.Names)})");
            var mlp = new MlpHeadOptions { Epochs = parse.GetValue(epochs), LearningRate = parse.GetValue(lr), Dropout = parse.GetValue(dropout) };
            try { mlp.Validate(); } catch (ArgumentException e) { throw new UserError(e.Message); }
            var settings = new Settings
            {
                Dataset = parse.GetValue(shared.Dataset)!, Data = parse.GetValue(shared.Data), Heads = headNames, Save = saved, Augment = augmentation,
                Seed = (int)parse.GetValue(shared.Seed), Fractions = shared.Fractions(parse), Backbone = shared.Backbone(parse), Mlp = mlp,
                CacheFolder = shared.CacheFolder(parse), CommandLine = "mlp " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            var set = AnimalsShared.LoadSet(settings.Dataset, settings.Data);
            var splits = StratifiedSplitter.Assign(set, settings.Fractions, settings.Seed);
            CheckSplits(set, splits);
            var run = RunFolder.Create(parse.GetValue(shared.Runs), $"animals-train-{set.Name}");
            return Train(run, settings, set, splits);
        });
        return command;
    }

    /// <summary>Everything a training run needs, validated (what the command line or a stage of <c>mlp all</c> gives).</summary>
    public sealed record Settings
    {
        public required string Dataset { get; init; }
        public string? Data { get; init; }
        public IReadOnlyList<string> Heads { get; init; } = HeadCatalog.Names;
        public string Save { get; init; } = HeadCatalog.Names[0];
        public string Augment { get; init; } = "full";
        public int Seed { get; init; } = 1;
        public SplitFractions Fractions { get; init; } = new();
        public BackboneOptions Backbone { get; init; } = new();
        public MlpHeadOptions Mlp { get; init; } = new();
        public required string CacheFolder { get; init; }
        public required string CommandLine { get; init; }
    }

    public static void CheckSplits(PhotoSet set, Split[] splits)
    {
        if (!splits.Contains(Split.Train)) throw new UserError($"{set.Name} has no training photos");
        if (!splits.Contains(Split.Validation) && !splits.Contains(Split.Test))
            throw new UserError($"{set.Name} leaves no photos for validation or test: raise --val-fraction or --test-fraction");
    }

    /// <summary>Trains into <paramref name="run"/>: features, heads, evaluation, figures, model.zip. Returns the exit code.</summary>
    public static int Train(RunFolder run, Settings settings, PhotoSet set, Split[] splits)
    {
        var clock = Stopwatch.StartNew();
        var headNames = settings.Heads;
        string saved = settings.Save;
        string augmentation = settings.Augment;
        var backboneOptions = settings.Backbone;
        string commandLine = settings.CommandLine;
        Console.WriteLine($"run folder: {run.Path}");
        run.WriteJson("options.json", new
        {
            dataset = set.Root, heads = headNames, save = saved, augment = augmentation, seed = settings.Seed,
            val_fraction = settings.Fractions.Validation, test_fraction = settings.Fractions.Test,
            backbone = backboneOptions, mlp = settings.Mlp, command = commandLine,
        });
        string summary = PhotoSetSummary.Describe(set, splits);
        run.WriteText("summary.txt", summary);
        SplitFile.Write(run.File(SplitFile.Name), set, splits);
        Console.Write(summary.Split("\n\nimage sizes")[0] + "\n");
        foreach (var s in set.Skipped) Console.WriteLine($"skipped {Path.GetRelativePath(set.Root, s.Path)}: {s.Reason}");

        // 1. Features, once: from the cache, else batched on ONNX Runtime.
        using var backbone = AnimalsShared.OpenBackbone(backboneOptions, run);
        var cache = FeatureCache.Open(settings.CacheFolder, set.Root);
        var prepared = Featurize(set, splits, backbone, cache, augmentation, run);
        if (prepared is null) return ExitCodes.Interrupted;
        ReportFeatures(prepared, backbone, cache, run);

        // 2. Heads, on the cached features.
        var ml = new MLContext(seed: settings.Seed);
        var options = new HeadOptions { Seed = settings.Seed, Mlp = settings.Mlp };
        var results = new List<(TrainedHead Head, ClassificationReport? Validation, ClassificationReport? Test)>();
        try
        {
            foreach (string name in headNames)
            {
                Interrupt.Token.ThrowIfCancellationRequested();
                Console.WriteLine($"\nhead {name}: {HeadCatalog.Describe(name)}");
                var head = HeadCatalog.Train(ml, name, prepared.Train, prepared.Validation, options, line =>
                {
                    Console.WriteLine("  " + line);
                    run.Log(line);
                }, Interrupt.Token);
                foreach (string note in head.Notes.Where(n => !n.StartsWith("mlp epoch", StringComparison.Ordinal))) Console.WriteLine("  " + note);
                var validation = Report(ml, head, prepared.Validation);
                var test = Report(ml, head, prepared.Test);
                results.Add((head, validation, test));
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"{name}: validation {Percent(validation)}, test {Percent(test)}, trained in {head.TrainSeconds:F1} s");
                Console.WriteLine("  " + line);
                run.Log(line);
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("interrupted while training the heads; the features are cached, so running the same command again starts here");
            run.Log("interrupted during head training");
            foreach (var r in results) r.Head.Dispose();
            return ExitCodes.Interrupted;
        }
        WriteComparison(run, prepared, results);

        // 3. The chosen head: evaluation, figures, and the model .zip.
        var chosen = results.Single(r => r.Head.Name == saved);
        var evaluation = prepared.EvaluationSplit == Split.Test ? chosen.Test! : chosen.Validation!;
        string splitName = prepared.EvaluationSplit == Split.Test ? "test" : "validation";
        Console.WriteLine($"\nsaved head: {saved}, on the {splitName} split ({evaluation.Count} photos)");
        AnimalsEvaluation.Write(run, set, prepared.EvaluationPhotos, evaluation, splitName, $"{set.Name}, head {saved}");

        var metrics = new Dictionary<string, double> { [$"{splitName}_accuracy"] = evaluation.Accuracy };
        if (chosen.Validation is not null && splitName != "validation") metrics["validation_accuracy"] = chosen.Validation.Accuracy;
        var metadata = AnimalModel.Metadata(set.ClassNames, $"{set.Name}: frozen ImageNet ResNet18 + {chosen.Head.Description}", commandLine, metrics);
        string modelPath = run.File("model.zip");
        AnimalModel.Save(ml, BackbonePipeline.Fit(ml, backboneOptions), chosen.Head.PipelineTransformers(ml), metadata, modelPath);
        string check = CheckSavedModel(modelPath, set, prepared.EvaluationPhotos, evaluation, backboneOptions.EffectiveThreads);
        Console.WriteLine(check);
        run.Log(check);
        foreach (var r in results) r.Head.Dispose();

        double total = clock.Elapsed.TotalSeconds;
        string done = string.Create(CultureInfo.InvariantCulture,
            $"model: {modelPath} ({new FileInfo(modelPath).Length / 1e6:F0} MB)\ntotal time: {total:F1} s (features {prepared.ComputeSeconds:F1} s for {prepared.ComputedImages} images, " +
            $"{prepared.MillisecondsPerImage:F1} ms/image on {backbone.Device}; heads {results.Sum(r => r.Head.TrainSeconds):F1} s)");
        Console.WriteLine(done);
        run.Log(done.ReplaceLineEndings(" "));
        run.WriteJson("timing.json", new
        {
            total_seconds = total, feature_seconds = prepared.ComputeSeconds, images_computed = prepared.ComputedImages,
            ms_per_image = prepared.MillisecondsPerImage, device = backbone.Device, batch_size = backboneOptions.BatchSize,
            head_seconds = results.ToDictionary(r => r.Head.Name, r => r.Head.TrainSeconds),
        });
        return ExitCodes.Ok;
    }


    private static List<string> ParseHeads(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).Distinct().ToList();
        if (names.Count == 0) throw new UserError("--heads names no head");
        foreach (string n in names)
            if (!HeadCatalog.Names.Contains(n)) throw new UserError($"unknown head '{n}' (known: {string.Join(", ", HeadCatalog.Names)})");
        return names;
    }

    /// <summary>Features with a progress bar; null when Ctrl+C stopped it (what was computed stays cached).</summary>
    private static PreparedFeatures? Featurize(PhotoSet set, Split[] splits, OnnxBackbone backbone, FeatureCache cache, string augmentation, RunFolder run)
    {
        int views = Augmentation.Views(augmentation).Count;
        int trainCount = splits.Count(s => s == Split.Train);
        double total = set.Photos.Count + (double)views * trainCount;
        var offsets = new Dictionary<string, double>();
        try
        {
            return ProgressDisplay.Run("features", total, sink => PreparedFeatures.Compute(set, splits, backbone, cache, augmentation, (stage, done, count) =>
            {
                if (!offsets.ContainsKey(stage)) offsets[stage] = offsets.Count == 0 ? 0 : set.Photos.Count + (offsets.Count - 1.0) * trainCount;
                sink.Report(offsets[stage] + done, $"{stage} {done}/{count}");
            }, Interrupt.Token));
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"interrupted: {cache.Count} feature vectors are cached in {cache.FilePath}; run the same command again to continue");
            run.Log("interrupted during featurization");
            return null;
        }
    }

    private static void ReportFeatures(PreparedFeatures p, OnnxBackbone backbone, FeatureCache cache, RunFolder run)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"features: {p.Plain.Total} photos ({p.Plain.FromCache} cached, {p.Plain.Computed} computed), {p.Augmented.Total} augmented views " +
            $"({p.Augmented.FromCache} cached, {p.Augmented.Computed} computed); {p.MillisecondsPerImage:F1} ms/image on {backbone.Device}, batches of {backbone.Options.BatchSize}");
        Console.WriteLine(line);
        run.Log(line);
        foreach (var (path, reason) in p.Failed)
        {
            Console.WriteLine($"skipped {path}: {reason}");
            run.Log($"skipped {path}: {reason}");
        }
        Console.WriteLine($"split: {p.TrainPhotos.Length} train ({p.Train.Count} rows with augmentation), {p.ValidationPhotos.Length} validation, {p.TestPhotos.Length} test; cache {cache.FilePath}");
    }

    private static ClassificationReport? Report(MLContext ml, TrainedHead head, HeadData data) =>
        data.Count == 0 ? null : ClassificationReport.From(head.ClassNames, data.Labels, head.Predict(ml, data.Features));

    private static string Percent(ClassificationReport? r) => r is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{r.Accuracy:P2} ({r.Correct}/{r.Count})");

    private static void WriteComparison(RunFolder run, PreparedFeatures p, IReadOnlyList<(TrainedHead Head, ClassificationReport? Validation, ClassificationReport? Test)> results)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("\nhead comparison (same features, same split):");
        Console.WriteLine("head    validation        test  macro-F1  train s");
        var csv = new System.Text.StringBuilder("head,validation_accuracy,test_accuracy,macro_f1,log_loss,train_seconds,description\n");
        foreach (var (head, val, test) in results)
        {
            var eval = test ?? val;
            Console.WriteLine(string.Create(inv, $"{head.Name,-6}{(val is null ? "-" : val.Accuracy.ToString("P2", inv)),12}{(test is null ? "-" : test.Accuracy.ToString("P2", inv)),12}{eval?.MacroF1,10:F3}{head.TrainSeconds,9:F1}"));
            csv.Append(inv, $"{head.Name},{val?.Accuracy},{test?.Accuracy},{eval?.MacroF1:F4},{eval?.LogLoss:F4},{head.TrainSeconds:F2},\"{head.Description}\"\n");
        }
        run.WriteText("heads.csv", csv.ToString());
        var series = new List<(string, double[])>();
        if (results.Any(r => r.Validation is not null)) series.Add(("validation", results.Select(r => 100 * (r.Validation?.Accuracy ?? 0)).ToArray()));
        if (results.Any(r => r.Test is not null)) series.Add(("test", results.Select(r => 100 * (r.Test?.Accuracy ?? 0)).ToArray()));
        // Grouped rather than stacked: one chart per split keeps the bars comparable.
        foreach (var (name, values) in series)
            Charts.StackedBars(run.File($"heads_{name}.png"), $"{p.Set.Name}: {name} accuracy per head (%)", "accuracy (%)", results.Select(r => r.Head.Name).ToList(), [(name, values)], "{0:F1}");
    }

    /// <summary>
    /// Loads model.zip back through <see cref="ImageClassifier"/> (the project's prediction API) and checks that it
    /// predicts, from the image files, what the head did from the features.
    /// </summary>
    private static string CheckSavedModel(string path, PhotoSet set, int[] photos, ClassificationReport expected, int threads)
    {
        int n = Math.Min(8, photos.Length);
        using var classifier = ImageClassifier.Load(path, threads);
        var scores = AnimalsShared.Probabilities(classifier, photos.Take(n).Select(i => set.Photos[i].Path).ToList());
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
