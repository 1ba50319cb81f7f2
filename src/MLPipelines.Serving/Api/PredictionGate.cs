namespace MLPipelines.Serving.Api;

/// <summary>
/// Lets at most <see cref="ServeOptions.MaxConcurrentPredictions"/> predictions run at once; the other
/// requests wait (asynchronously, holding no thread) for their turn.
/// </summary>
public sealed class PredictionGate(ServeOptions options) : IDisposable
{
    private readonly SemaphoreSlim? slots = options.MaxConcurrentPredictions > 0
        ? new SemaphoreSlim(options.MaxConcurrentPredictions, options.MaxConcurrentPredictions) : null;

    public async Task<IDisposable> EnterAsync(CancellationToken cancel)
    {
        if (slots is null) return Turn.None;
        await slots.WaitAsync(cancel);
        return new Turn(slots);
    }

    public void Dispose() => slots?.Dispose();

    private sealed class Turn(SemaphoreSlim? slots) : IDisposable
    {
        public static readonly Turn None = new(null);
        private SemaphoreSlim? slots = slots;

        public void Dispose() => Interlocked.Exchange(ref slots, null)?.Release();
    }
}
