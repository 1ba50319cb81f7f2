using MLPipelines.Core.Metrics;
namespace MLPipelines.Prediction.Scoring;

/// <summary>
/// How far a scoring run is, reported after each chunk is written. <see cref="RowsDone"/> includes the
/// <see cref="RowsResumed"/> carried over from an interrupted run; rates should use the difference.
/// </summary>
public sealed record ScoreProgress(long RowsDone, long? RowsTotal, long RowsResumed, long Errors, TimeSpan Elapsed)
{
    public long RowsScored => RowsDone - RowsResumed;
}

/// <summary>A row that could not be scored: its number (1 = first row after the header), image path and reason.</summary>
public sealed record RowError(long Row, string Path, string Error);

/// <summary>What a scoring run did.</summary>
public sealed record ScoreSummary
{
    /// <summary>Rows in the output so far (all of them when <see cref="Completed"/>).</summary>
    public required long Rows { get; init; }
    /// <summary>Rows in the manifest, when known.</summary>
    public long? TotalRows { get; init; }
    /// <summary>Rows taken over from the partial output of an interrupted run.</summary>
    public long Resumed { get; init; }
    /// <summary>Rows scored by this run.</summary>
    public long Scored => Rows - Resumed;
    /// <summary>Rows whose error column is filled (this run and resumed ones).</summary>
    public required long Errors { get; init; }
    /// <summary>False when cancelled: the output then holds the rows done, in order.</summary>
    public required bool Completed { get; init; }
    /// <summary>Time spent scoring in this run.</summary>
    public required TimeSpan Elapsed { get; init; }
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? Scored / Elapsed.TotalSeconds : 0;
    /// <summary>Accuracy, per-class figures and confusion matrix over labelled rows without errors; null without a label column.</summary>
    public ClassificationMetrics? Metrics { get; init; }
    /// <summary>The first few rows with errors.</summary>
    public IReadOnlyList<RowError> FirstErrors { get; init; } = [];
    /// <summary>The complete output file (files API, when completed).</summary>
    public string? OutputPath { get; init; }
    /// <summary>The partial output file that <c>resume</c> continues (files API, when interrupted).</summary>
    public string? PartialPath { get; init; }
    /// <summary>The metrics file written beside the output (files API, completed, with labels).</summary>
    public string? MetricsPath { get; init; }
}
