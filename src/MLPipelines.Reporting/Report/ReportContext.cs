using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report;

/// <summary>
/// The run folder a report is written from. An <c>mlp all</c> run has stages.json and one sub-folder per stage
/// (digits/, greek/, ...); a run folder of <c>mlp mnist train</c> is itself the digit results.
/// </summary>
public sealed class ReportContext
{
    public const string DigitsFolderName = "digits";

    private readonly Lazy<StageLog?> stages;

    public ReportContext(string runFolder)
    {
        RunFolder = Path.GetFullPath(runFolder);
        stages = new Lazy<StageLog?>(() => StageLog.Read(RunFolder));
        string? digits = DigitRunFiles.IsDigitRun(RunFolder) ? RunFolder
            : DigitRunFiles.IsDigitRun(Path.Combine(RunFolder, DigitsFolderName)) ? Path.Combine(RunFolder, DigitsFolderName)
            : null;
        Digits = digits is null ? null : new DigitRunFiles(digits);
    }

    public string RunFolder { get; }

    /// <summary>stages.json of an <c>mlp all</c> run; null for a single command's run folder.</summary>
    public StageLog? Stages => stages.Value;

    /// <summary>The digit network's training results, when the run has them.</summary>
    public DigitRunFiles? Digits { get; }

    /// <summary>A stage's sub-folder (RUN/name) when it exists.</summary>
    public string? StageFolder(string name)
    {
        string path = Path.Combine(RunFolder, name);
        return Directory.Exists(path) ? path : null;
    }

    public StageRecord? Stage(string name) => Stages?.Stages.LastOrDefault(s => s.Name == name);

    /// <summary>Whether there is anything to report: digit results, or an <c>mlp all</c> run's stages (even all skipped: the page says why).</summary>
    public bool HasResults => Digits is not null || Stages is not null;
}
