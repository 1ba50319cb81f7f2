using MLPipelines.Core.Datasets;
using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.IO;
using MLPipelines.Prediction;
using MLPipelines.Prediction.Evaluation;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Training.Transfer;

namespace MLPipelines.Sweeps.Auto;

/// <summary>What <see cref="AutoImageClassification.Run"/> works on, where it writes, and for how long.</summary>
public sealed record AutoImageClassificationOptions
{
    /// <summary>A folder of class folders, or one holding train/ and test/ of class folders.</summary>
    public required string Dataset { get; init; }
    /// <summary>The run's folder: study.db, leaderboard.csv, model.zip, the consumer project. Given again, the search resumes.</summary>
    public required string Output { get; init; }
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>libtorch threads (0: one per core).</summary>
    public int Threads { get; init; }
    public long Seed { get; init; } = 1;
    /// <summary>The digit model transferred from (null: the project's models/digits.zip).</summary>
    public string? BaseModel { get; init; }
    /// <summary>Where the study lives: null for Output/study.db, or a <see cref="StudyStorage.Open"/> spec (postgres) to share it among workers.</summary>
    public string? Storage { get; init; }
}

/// <summary>One trial of the search, as the leaderboard shows it (best first).</summary>
public sealed record LeaderboardEntry(int Rank, int Trial, string Approach, string Parameters, double ValidationAccuracy, double ValidationLoss, double Seconds);

/// <summary>What the search found and wrote.</summary>
public sealed record AutoImageClassificationResult(
    string Approach, string Reason, DatasetProfile Profile, string ModelPath, IReadOnlyList<LeaderboardEntry> Leaderboard,
    double? TestAccuracy, int TestCount, string ConsumerProject, string LeaderboardPath, TimeSpan Elapsed);

/// <summary>
/// AutoML for image folders, as the ML.NET CLI's <c>image-classification</c>: looks at the data, chooses the
/// approach, tunes it within the budget with the model-based tuner (TPE) on a stratified fifth of the training images
/// held out, trains the best configuration on all of them, tests on test/ when there is one, and writes the model,
/// the leaderboard and a console project that consumes the model with ML.NET alone.
/// <para>
/// Approaches: grayscale pictures (digits, letters, symbols on paper) get the digit network's transfer
/// (<see cref="GreekTrialRunner"/>: which layers learn, augmentation, learning rate). Photo-like sets (colour) are
/// refused for now with a line saying to use <c>mlp animals train</c> (ResNet18 features + a head): that approach is
/// not yet a trial runner.
/// </para>
/// </summary>
public static class AutoImageClassification
{
    public const string Transfer = "digit-network transfer";

    public static AutoImageClassificationResult Run(AutoImageClassificationOptions options, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string root = Path.GetFullPath(options.Dataset);
        string train = Directory.Exists(Path.Combine(root, "train")) ? Path.Combine(root, "train") : root;
        string? test = train != root && Directory.Exists(Path.Combine(root, "test")) ? Path.Combine(root, "test") : null;
        var set = ImageFolderSet.Scan(train, null, w => progress?.Report(WorkProgress.Warning(w)));
        if (set.ClassNames.Count < 2) throw new ImageFolderException($"{train}: at least two class folders are needed");
        var profile = DatasetProfile.Of(set);
        if (!profile.GlyphLike && profile.PhotoLike)
            throw new NotSupportedException($"{train} looks like photos (mean chroma {profile.MeanChroma:F0} of 255): mlp auto does not search photo models yet; use mlp animals train (ResNet18 features + a head)");
        string reason = profile.GlyphLike
            ? $"grayscale pictures (mean chroma {profile.MeanChroma:F1} of 255, median side {profile.MedianSide} px): ink on paper, the digit network's transfer fits"
            : $"between glyphs and photos (mean chroma {profile.MeanChroma:F1} of 255): trying the digit network's transfer, the only approach mlp auto searches so far";
        progress?.Report(WorkProgress.Line($"{set.Count} training images in {set.ClassNames.Count} classes; {reason}"));

        Directory.CreateDirectory(options.Output);
        var config = new StudyDefinition
        {
            Name = "auto", Trainer = GreekTrialRunner.Trainer, TrainFolder = train, BaseModel = options.BaseModel, Tuner = "tpe",
            Trials = 10_000, StartupTrials = 6, Seed = options.Seed, Space = SpaceFor(set.Count), Epochs = set.Count < 500 ? 30 : 8,
        }.ToConfig();
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        StudyOptimizeResult search;
        using (var storage = StudyStorage.Open(options.Storage, Path.Combine(options.Output, "study.db")))
        {
            search = StudyOptimizer.Optimize(new StudyOptimizeOptions
            {
                Storage = storage, Study = config, Folder = Path.Combine(options.Output, "study"), TimeBudget = options.Budget,
                Runner = c => TrialRunners.ForStudy(c, DataLocation.Resolve(null), threads),
            }, progress, cancel);
        }
        cancel.ThrowIfCancellationRequested();
        var study = search.Study;
        var board = Leaderboard(study);
        if (board.Count == 0) throw new InvalidOperationException("no trial finished within the budget: give a longer --budget");
        var best = study.Trials.Single(t => t.Number == board[0].Trial);
        string boardPath = Path.Combine(options.Output, "leaderboard.csv");
        AtomicFile.WriteAllText(boardPath, "rank,trial,approach,parameters,validation_accuracy,validation_loss,seconds\n" + string.Join("\n",
            board.Select(e => FormattableString.Invariant($"{e.Rank},{e.Trial},{e.Approach},\"{e.Parameters}\",{e.ValidationAccuracy:F4},{e.ValidationLoss:F4},{e.Seconds:F1}"))) + "\n");

        // The best configuration, trained on every training image.
        progress?.Report(WorkProgress.Line($"best: trial {best.Number} ({best.Parameters}), validation {best.Accuracy:P2}; training it on all {set.Count} images"));
        var transfer = GreekTrialRunner.Configure(study.Config, best.Parameters, threads);
        var final = RunFolder.Open(Directory.CreateDirectory(Path.Combine(options.Output, "final")).FullName);
        var trained = TransferRun.Run(new TransferRunOptions(train, options.BaseModel ?? GreekTrialRunner.DefaultDigitModel(), transfer, null,
            $"mlp auto train --dataset {options.Dataset}"), final, null, cancel) ?? throw new OperationCanceledException();
        string model = Path.Combine(options.Output, "model.zip");
        string temp = AtomicFile.TempPathFor(model);
        File.Copy(trained.ModelPath, temp, overwrite: true);
        AtomicFile.Commit(temp, model);

        double? accuracy = null;
        int tested = 0;
        if (test is not null)
        {
            using var classifier = ImageClassifier.Load(model);
            var evaluation = FolderEvaluation.Run(classifier, ImageFolderSet.Scan(test, classifier.Classes), null, cancel);
            accuracy = evaluation.Overall.Accuracy;
            tested = evaluation.Overall.Count;
            progress?.Report(WorkProgress.Line($"test: {evaluation.Overall.Correct}/{tested} ({accuracy:P2}) on {test}"));
        }

        string project = Path.Combine(options.Output, "ConsumeModel");
        if (!Directory.Exists(project)) ConsumerProject.Write(project, "ConsumeModel", model, trained.ClassNames);
        else File.Copy(model, Path.Combine(project, "model.zip"), overwrite: true);
        return new AutoImageClassificationResult(Transfer, reason, profile, model, board, accuracy, tested, project, boardPath, clock.Elapsed);
    }

    /// <summary>Few images: augmentation pays and epochs are cheap. Many: little augmentation, larger batches.</summary>
    public static string SpaceFor(int images) => images < 500
        ? "approach=0,1,2;augment=0,5,10,20;lr=0.003..0.1:log"
        : "approach=0,1,2;augment=0,1,2;lr=0.003..0.1:log;batch=16,32,64";

    /// <summary>Best first: validation accuracy, then (small validation sets tie often) validation loss.</summary>
    private static IReadOnlyList<LeaderboardEntry> Leaderboard(Study study) =>
        study.Trials.Where(t => t.State == TrialState.Complete && t.Accuracy is not null)
            .OrderByDescending(t => t.Accuracy).ThenBy(t => t.Last!.TestLoss).ThenBy(t => t.Number)
            .Select((t, i) => new LeaderboardEntry(i + 1, t.Number, Transfer, t.Parameters.ToString(), t.Accuracy!.Value, t.Last!.TestLoss, t.WallSeconds)).ToList();
}
