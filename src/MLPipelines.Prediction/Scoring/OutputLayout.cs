namespace MLPipelines.Prediction.Scoring;

/// <summary>
/// The columns of a scored file: every manifest column as it was, then <c>predicted_label</c>,
/// <c>probability</c>, one <c>score_&lt;class&gt;</c> per class in the model's order, and <c>error</c>.
/// </summary>
public sealed class OutputLayout
{
    public const string PredictedLabel = "predicted_label";
    public const string Probability = "probability";
    public const string ScorePrefix = "score_";
    public const string Error = "error";

    private OutputLayout(string[] input, int pathIndex, int labelIndex, string[] header)
    {
        InputColumns = input;
        PathIndex = pathIndex;
        LabelIndex = labelIndex;
        Header = header;
    }

    public IReadOnlyList<string> InputColumns { get; }
    public int PathIndex { get; }
    /// <summary>-1 when the manifest has no label column.</summary>
    public int LabelIndex { get; }
    public IReadOnlyList<string> Header { get; }
    public int InputWidth => InputColumns.Count;
    public int Width => Header.Count;
    public int PredictedIndex => InputWidth;
    public int ErrorIndex => Width - 1;

    public static OutputLayout Create(string[] manifestHeader, IReadOnlyList<string> classes, ScoreOptions options)
    {
        int path = Find(manifestHeader, options.PathColumn);
        if (path < 0)
            throw new ScoringException($"the manifest has no '{options.PathColumn}' column (its columns: {string.Join(", ", manifestHeader)}); name the image path column with --path-column");
        int label = options.LabelColumn is null ? -1 : Find(manifestHeader, options.LabelColumn);
        if (label < 0 && options.LabelColumnRequired)
            throw new ScoringException($"the manifest has no '{options.LabelColumn}' column (its columns: {string.Join(", ", manifestHeader)})");
        string[] added = [PredictedLabel, Probability, .. classes.Select(c => ScorePrefix + c), Error];
        foreach (string column in added)
            if (Find(manifestHeader, column) >= 0)
                throw new ScoringException($"the manifest already has a column '{column}' (is it a scored file?); rename that column");
        return new OutputLayout(manifestHeader, path, label, [.. manifestHeader, .. added]);
    }

    /// <summary>
    /// A manifest row with exactly the header's number of fields (short rows padded with empty fields, extra
    /// fields dropped, so the output stays rectangular); <paramref name="error"/> says when the count was wrong, too
    /// few or too many alike: such a row is not scored, since its fields cannot be trusted to be in their columns.
    /// </summary>
    public string[] Normalize(string[] record, out string? error)
    {
        error = null;
        if (record.Length == InputWidth) return record;
        error = $"the row has {record.Length} fields but the header {InputWidth}";
        var fields = new string[InputWidth];
        for (int i = 0; i < InputWidth; i++) fields[i] = i < record.Length ? record[i] : "";
        return fields;
    }

    /// <summary>The exact name, else the same name ignoring case and surrounding spaces.</summary>
    private static int Find(string[] header, string name)
    {
        int exact = Array.IndexOf(header, name);
        if (exact >= 0) return exact;
        return Array.FindIndex(header, h => string.Equals(h.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
