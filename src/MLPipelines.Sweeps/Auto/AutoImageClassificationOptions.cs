namespace MLPipelines.Sweeps.Auto;

/// <summary>What <see cref="AutoImageClassification.Run"/> works on, where it writes, and for how long.</summary>
public sealed record AutoImageClassificationOptions
{
    /// <summary>A folder of class folders, or one holding train/ and test/ (or val/) of class folders.</summary>
    public required string Dataset { get; init; }
    /// <summary>The run's folder: study.db, leaderboard.csv, model.zip, the consumer project. Given again, the search resumes.</summary>
    public required string Output { get; init; }
    /// <summary>Time for the search, shared by the approaches tried; the final training and the test come after it.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>libtorch and ONNX Runtime threads (0: one per core).</summary>
    public int Threads { get; init; }
    public long Seed { get; init; } = 1;
    /// <summary>The digit model transferred from (null: the project's models/digits.zip).</summary>
    public string? BaseModel { get; init; }
    /// <summary>Where a study lives: null for Output/study.db, or a <see cref="Storage.StudyStorage.Open"/> spec (postgres) to share it among workers.</summary>
    public string? Storage { get; init; }
    /// <summary>Where ResNet18 features are cached across runs (null: the one <c>mlp animals</c> uses, runs/feature-cache).</summary>
    public string? FeatureCache { get; init; }
    /// <summary>Only this approach (<see cref="AutoApproach.Transfer"/> or <see cref="AutoApproach.PhotoHeads"/>); null: chosen from the data.</summary>
    public string? Approach { get; init; }
}

/// <summary>One trial of the search, as the leaderboard shows it (best first).</summary>
public sealed record LeaderboardEntry(int Rank, int Trial, string Approach, string Parameters, double ValidationAccuracy, double ValidationLoss, double Seconds);

/// <summary>What the search found and wrote. <paramref name="Evaluated"/>: "test" or "validation", the folder the model was tested on (null: none).</summary>
public sealed record AutoImageClassificationResult(
    string Approach, string Reason, DatasetProfile Profile, string ModelPath, IReadOnlyList<LeaderboardEntry> Leaderboard,
    double? TestAccuracy, int TestCount, string ConsumerProject, string LeaderboardPath, TimeSpan Elapsed, string? Evaluated = null)
{
    /// <summary>The approaches searched, in the order they were.</summary>
    public IReadOnlyList<string> Approaches { get; init; } = [Approach];
    /// <summary>The run's HTML report (report.html): the leaderboard and each study's history and importances.</summary>
    public string? ReportPath { get; init; }
}
