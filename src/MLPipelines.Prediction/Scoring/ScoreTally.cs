using MLPipelines.Core.Metrics;
namespace MLPipelines.Prediction.Scoring;

/// <summary>Running counts of a scoring run: rows, errors (the first few kept), and the metrics over labelled rows.</summary>
internal sealed class ScoreTally(OutputLayout layout, IReadOnlyList<string> classes)
{
    public const int ErrorsKept = 5;
    private readonly List<RowError> firstErrors = [];

    public long Rows { get; private set; }
    public long Errors { get; private set; }
    public ClassificationMetrics? Metrics { get; } = layout.LabelIndex >= 0 ? new ClassificationMetrics(classes) : null;
    public IReadOnlyList<RowError> FirstErrors => firstErrors;

    public void Add(string[] input, string? predicted, string? error)
    {
        Rows++;
        if (error is not null)
        {
            Errors++;
            if (firstErrors.Count < ErrorsKept) firstErrors.Add(new RowError(Rows, input[layout.PathIndex], error));
            return;
        }
        if (Metrics is null || predicted is null) return;
        string label = input[layout.LabelIndex].Trim();
        if (label.Length > 0) Metrics.Add(label, predicted);
    }

    /// <summary>Counts a row read back from a partial output file.</summary>
    public void AddOutputRow(string[] row)
    {
        string error = row[layout.ErrorIndex];
        Add(row, error.Length > 0 ? null : row[layout.PredictedIndex], error.Length > 0 ? error : null);
    }
}
