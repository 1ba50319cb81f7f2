using MLPipelines.Animals.Data;
using MLPipelines.Animals.Training;
using MLPipelines.Core.Datasets;
using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.IO;
using MLPipelines.Prediction;
using MLPipelines.Prediction.Evaluation;
using MLPipelines.Reporting.Report;
using MLPipelines.Sweeps.Reporting;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Training.Transfer;

namespace MLPipelines.Sweeps.Auto;

/// <summary>
/// AutoML for image folders, as the ML.NET CLI's <c>image-classification</c>: looks at the data, chooses the
/// approach (<see cref="AutoApproach.For"/>: the digit network's transfer for ink on paper, a head on ResNet18
/// features for photos, both when the data is neither clearly), tunes each within its share of the budget with the
/// model-based tuner (TPE) on the same stratified fifth of the training images held out, trains the best
/// configuration of all, tests it on test/ (or val/) when there is one, and writes the model, the leaderboard and a
/// console project that consumes the model with ML.NET alone.
/// </summary>
public static class AutoImageClassification
{
    public static AutoImageClassificationResult Run(AutoImageClassificationOptions options, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var folders = AutoFolders.Find(options.Dataset);
        var set = ImageFolderSet.Scan(folders.Train, null, w => progress?.Report(WorkProgress.Warning(w)));
        if (set.ClassNames.Count < 2) throw new ImageFolderException($"{folders.Train}: at least two class folders are needed");
        var profile = DatasetProfile.Of(set);
        var (approaches, reason) = options.Approach is { } asked
            ? ([AutoApproach.Parse(asked)], $"{AutoApproach.Parse(asked)}, as asked ({profile})")
            : AutoApproach.For(profile);
        progress?.Report(WorkProgress.Line($"{set.Count} training images in {set.ClassNames.Count} classes; {reason}"));

        Directory.CreateDirectory(options.Output);
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        string cache = options.FeatureCache ?? PhotoHeadTrialRunner.DefaultCacheFolder;
        var studies = new List<(string Approach, Study Study)>();
        using (var storage = StudyStorage.Open(options.Storage, Path.Combine(options.Output, "study.db")))
        {
            for (int i = 0; i < approaches.Count; i++)
            {
                // Each approach gets an equal share of the time left, so one that ends early leaves its rest to the next.
                var share = (options.Budget - clock.Elapsed) / (approaches.Count - i);
                if (share < TimeSpan.FromSeconds(1)) share = TimeSpan.FromSeconds(1);
                var config = StudyFor(approaches[i], folders.Train, set.Count, options);
                if (approaches.Count > 1) progress?.Report(WorkProgress.Line($"searching {approaches[i]} for {share.TotalSeconds:F0} s"));
                var search = StudyOptimizer.Optimize(new StudyOptimizeOptions
                {
                    Storage = storage, Study = config, Folder = Path.Combine(options.Output, config.Name == "auto" ? "study" : config.Name), TimeBudget = share,
                    Runner = c => TrialRunners.ForStudy(c, DataLocation.Resolve(null), threads, featureCache: cache),
                }, progress, cancel);
                cancel.ThrowIfCancellationRequested();
                studies.Add((approaches[i], search.Study));
            }
        }
        var board = Leaderboard(studies);
        if (board.Count == 0) throw new InvalidOperationException("no trial finished within the budget: give a longer --budget");
        string boardPath = Path.Combine(options.Output, "leaderboard.csv");
        AtomicFile.WriteAllText(boardPath, "rank,trial,approach,parameters,validation_accuracy,validation_loss,seconds\n" + string.Join("\n",
            board.Select(e => FormattableString.Invariant($"{e.Rank},{e.Trial},{e.Approach},\"{e.Parameters}\",{e.ValidationAccuracy:F4},{e.ValidationLoss:F4},{e.Seconds:F1}"))) + "\n");

        var (approach, study) = studies.First(s => s.Approach == board[0].Approach);
        var best = study.Trials.Single(t => t.Number == board[0].Trial);
        progress?.Report(WorkProgress.Line($"best: {approach}, trial {best.Number} ({board[0].Parameters}), validation {best.Accuracy:P2}; training it on all {set.Count} training images"));
        string trainedModel = approach == AutoApproach.Transfer
            ? TrainTransfer(options, folders, study.Config, best, threads, cancel)
            : TrainPhotoHead(options, folders, study.Config, best, threads, cache, cancel);
        string model = Path.Combine(options.Output, "model.zip");
        string temp = AtomicFile.TempPathFor(model);
        File.Copy(trainedModel, temp, overwrite: true);
        AtomicFile.Commit(temp, model);

        double? accuracy = null;
        int tested = 0;
        IReadOnlyList<string> classes;
        using (var classifier = ImageClassifier.Load(model, threads))
        {
            classes = classifier.Classes;
            if (folders.Evaluation is { } evaluationFolder)
            {
                var evaluation = FolderEvaluation.Run(classifier, ImageFolderSet.Scan(evaluationFolder, classifier.Classes), null, cancel);
                accuracy = evaluation.Overall.Accuracy;
                tested = evaluation.Overall.Count;
                progress?.Report(WorkProgress.Line($"{folders.EvaluationName}: {evaluation.Overall.Correct}/{tested} ({accuracy:P2}) on {evaluationFolder}"));
            }
        }

        string project = Path.Combine(options.Output, "ConsumeModel");
        if (!Directory.Exists(project)) ConsumerProject.Write(project, "ConsumeModel", model, classes);
        else File.Copy(model, Path.Combine(project, "model.zip"), overwrite: true);
        AutoRunFiles.Write(options.Output, new AutoRunSummary(folders.Root, options.Budget.TotalSeconds, approaches, reason, approach, folders.EvaluationName,
            accuracy, tested, clock.Elapsed.TotalSeconds, board));
        var report = ReportWriter.Write(new ReportContext(options.Output), [new AutoReportSection()]);
        return new AutoImageClassificationResult(approach, reason, profile, model, board, accuracy, tested, project, boardPath, clock.Elapsed, folders.EvaluationName)
        {
            Approaches = approaches, ReportPath = report.Path,
        };
    }

    /// <summary>The study of an approach: TPE over the approach's space, as large as the data allows.</summary>
    private static StudyConfig StudyFor(string approach, string train, int images, AutoImageClassificationOptions options) =>
        approach == AutoApproach.Transfer
            ? new StudyDefinition
            {
                Name = AutoApproach.StudyName(approach), Trainer = GreekTrialRunner.Trainer, TrainFolder = train, BaseModel = options.BaseModel, Tuner = "tpe",
                Trials = 10_000, StartupTrials = 6, Seed = options.Seed, Space = SpaceFor(images), Epochs = images < 500 ? 30 : 8,
            }.ToConfig()
            : new StudyDefinition
            {
                Name = AutoApproach.StudyName(approach), Trainer = PhotoHeadTrialRunner.Trainer, TrainFolder = train, Tuner = "tpe",
                Trials = 10_000, StartupTrials = 8, Seed = options.Seed, Space = PhotoSpaceFor(images), Epochs = 30, Enqueued = PhotoDefaults,
            }.ToConfig();

    /// <summary>
    /// Tried first: L-BFGS on the plain features (the backbone runs once a photo: a result within seconds), then on
    /// mirrored views too, then the assignment's MLP head (Dense 256, dropout 0.5, Adam 1e-3, 30 epochs).
    /// </summary>
    public static IReadOnlyList<string> PhotoDefaults { get; } =
    [
        "head=0;augment=0;l2=0.1;hidden=256;dropout=0.5;lr=0.001;epochs=30",
        "head=0;augment=1;l2=0.1;hidden=256;dropout=0.5;lr=0.001;epochs=30",
        "head=2;augment=1;l2=0.1;hidden=256;dropout=0.5;lr=0.001;epochs=30",
    ];

    /// <summary>Few images: augmentation pays and epochs are cheap. Many: little augmentation, larger batches.</summary>
    public static string SpaceFor(int images) => images < 500
        ? "approach=0,1,2;augment=0,5,10,20;lr=0.003..0.1:log"
        : "approach=0,1,2;augment=0,1,2;lr=0.003..0.1:log;batch=16,32,64";

    /// <summary>The photo heads' space; past 2,000 photos the full views (four backbone runs a photo) cost too much of a budget.</summary>
    public static string PhotoSpaceFor(int images) => images <= 2000
        ? TrialRunners.PhotoSpace
        : TrialRunners.PhotoSpace.Replace("augment=0,1,2", "augment=0,1", StringComparison.Ordinal);

    private static string TrainTransfer(AutoImageClassificationOptions options, AutoFolders folders, StudyConfig config, Trial best, int threads, CancellationToken cancel)
    {
        var transfer = GreekTrialRunner.Configure(config, best.Parameters, threads);
        var final = RunFolder.Open(Directory.CreateDirectory(Path.Combine(options.Output, "final")).FullName);
        var trained = TransferRun.Run(new TransferRunOptions(folders.Train, options.BaseModel ?? GreekTrialRunner.DefaultDigitModel(), transfer, null,
            $"mlp auto train --dataset {options.Dataset}"), final, null, cancel) ?? throw new OperationCanceledException();
        return trained.ModelPath;
    }

    /// <summary>
    /// The best head trained on every training photo's features (cached by the search) and saved with the backbone.
    /// Without a test or val folder the held-out fifth stays out, as <see cref="AnimalsTraining"/> needs photos to check
    /// the model on.
    /// </summary>
    private static string TrainPhotoHead(AutoImageClassificationOptions options, AutoFolders folders, StudyConfig config, Trial best, int threads,
        string cache, CancellationToken cancel)
    {
        var head = PhotoHeadTrialRunner.Configure(config, best.Parameters);
        var (set, splits) = PhotoHeadTrialRunner.Photos(folders.Train, folders.Evaluation, options.Seed);
        if (folders.EvaluationName == "test") splits = splits.Select(s => s == Split.Validation ? Split.Test : s).ToArray();
        var final = RunFolder.Open(Directory.CreateDirectory(Path.Combine(options.Output, "final-photo")).FullName);
        var trained = AnimalsTraining.Run(new AnimalsTrainingOptions
        {
            Dataset = folders.Train, Heads = [head.Head], Save = head.Head, Augment = head.Augment, Seed = unchecked((int)options.Seed), Mlp = head.Mlp,
            LbfgsL2 = head.LbfgsL2, CacheFolder = cache, Backbone = new() { Threads = threads }, CommandLine = $"mlp auto train --dataset {options.Dataset}",
        }, set, splits, final, null, cancel);
        return trained is { Completed: true, ModelPath: { } path } ? path : throw new OperationCanceledException();
    }

    /// <summary>Every approach's trials, best first: validation accuracy, then (small validation sets tie often) validation loss.</summary>
    private static IReadOnlyList<LeaderboardEntry> Leaderboard(IEnumerable<(string Approach, Study Study)> studies) =>
        studies.SelectMany(s => s.Study.Trials.Where(t => t.State == TrialState.Complete && t.Accuracy is not null).Select(t => (s.Approach, s.Study, Trial: t)))
            .OrderByDescending(x => x.Trial.Accuracy).ThenBy(x => x.Trial.Last!.TestLoss).ThenBy(x => x.Approach, StringComparer.Ordinal).ThenBy(x => x.Trial.Number)
            .Select((x, i) => new LeaderboardEntry(i + 1, x.Trial.Number, x.Approach, Describe(x.Approach, x.Study.Config, x.Trial),
                x.Trial.Accuracy!.Value, x.Trial.Last!.TestLoss, x.Trial.WallSeconds)).ToList();

    private static string Describe(string approach, StudyConfig config, Trial trial) =>
        approach == AutoApproach.PhotoHeads ? PhotoHeadTrialRunner.Configure(config, trial.Parameters).ToString() : trial.Parameters.ToString();
}
