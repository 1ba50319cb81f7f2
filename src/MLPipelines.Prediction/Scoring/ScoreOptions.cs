namespace MLPipelines.Prediction.Scoring;

/// <summary>How <see cref="ManifestScorer"/> reads a manifest and how much work it does at once.</summary>
public sealed record ScoreOptions
{
    public const string DefaultPathColumn = "path";
    public const string DefaultLabelColumn = "label";
    /// <summary>A chunk's rows are held in memory; beyond this a chunk buys no speed, only memory.</summary>
    public const int MaxChunkSize = 100_000;

    /// <summary>The column holding image paths, relative to the manifest's folder or absolute.</summary>
    public string PathColumn { get; init; } = DefaultPathColumn;

    /// <summary>The column holding true labels (for metrics); null for none.</summary>
    public string? LabelColumn { get; init; } = DefaultLabelColumn;

    /// <summary>When false, a manifest without <see cref="LabelColumn"/> is scored without metrics; when true, it is an error.</summary>
    public bool LabelColumnRequired { get; init; }

    /// <summary>Rows read, scored in parallel and written per step; memory is bounded by it, and Ctrl+C stops after the current chunk.</summary>
    public int ChunkSize { get; init; } = 128;

    /// <summary>Images scored at once (each worker borrows its own prediction engine).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Replace an existing output file; when false (the default) an existing output is an error, never overwritten.</summary>
    public bool Overwrite { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PathColumn)) throw new ArgumentException("the path column name is empty");
        if (LabelColumn is not null && string.IsNullOrWhiteSpace(LabelColumn)) throw new ArgumentException("the label column name is empty");
        if (ChunkSize is < 1 or > MaxChunkSize) throw new ArgumentException($"chunk size must be from 1 to {MaxChunkSize:N0} (got {ChunkSize})");
        if (Parallelism < 1) throw new ArgumentException($"parallelism must be at least 1 (got {Parallelism})");
    }
}
