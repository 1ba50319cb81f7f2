namespace MLPipelines.Serving;

/// <summary>How <c>mlp serve</c> runs: which folder's models, on which addresses, with which limits.</summary>
public sealed record ServeOptions
{
    public const long DefaultMaxImageBytes = 8 * 1024 * 1024;
    public const long DefaultMaxImagePixels = 40_000_000;

    /// <summary>The folder whose <c>*.zip</c> models are served (and watched for changes).</summary>
    public required string ModelsFolder { get; init; }

    /// <summary>http:// addresses to listen on; port 0 picks a free port (see <see cref="ServeHost.Urls"/>).</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:5000"];

    /// <summary>Largest image accepted, in bytes of the encoded file (larger: 413).</summary>
    public long MaxImageBytes { get; init; } = DefaultMaxImageBytes;

    /// <summary>Largest image accepted, in pixels (width x height), so a small file cannot expand into gigabytes.</summary>
    public long MaxImagePixels { get; init; } = DefaultMaxImagePixels;

    /// <summary>
    /// Predictions computed at once; more requests wait their turn. Prediction is CPU work: running more at
    /// once than there are cores only adds switching (0 = no limit).
    /// </summary>
    public int MaxConcurrentPredictions { get; init; } = Environment.ProcessorCount;

    /// <summary>How long the folder must be quiet after a change before models are reloaded.</summary>
    public TimeSpan ReloadDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>After this long without a prediction, memory freed by the last burst is given back to the OS (see <see cref="MemoryTrimmer"/>; zero: never).</summary>
    public TimeSpan TrimAfterIdle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the folder is rescanned in case the file watcher missed an event.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(5);
}
