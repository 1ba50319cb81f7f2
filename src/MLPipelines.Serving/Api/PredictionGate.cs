namespace MLPipelines.Serving.Api;

/// <summary>
/// Lets at most <see cref="ServeOptions.MaxConcurrentPredictions"/> predictions run at once; the other
/// requests wait (asynchronously, holding no thread) for their turn. It also keeps the time of the last
/// prediction, so that the memory trimmer knows when the server has gone idle.
/// </summary>
public sealed class PredictionGate(ServeOptions options) : IDisposable
{
    private readonly SemaphoreSlim? slots = options.MaxConcurrentPredictions > 0
        ? new SemaphoreSlim(options.MaxConcurrentPredictions, options.MaxConcurrentPredictions) : null;
    private long lastActivity = Environment.TickCount64, active;

    /// <summary>Predictions now running.</summary>
    public long Active => Interlocked.Read(ref active);

    /// <summary>Milliseconds since a prediction last started or ended.</summary>
    public long IdleMilliseconds => Environment.TickCount64 - Interlocked.Read(ref lastActivity);

    public async Task<IDisposable> EnterAsync(CancellationToken cancel)
    {
        if (slots is not null) await slots.WaitAsync(cancel);
        Interlocked.Increment(ref active);
        Interlocked.Exchange(ref lastActivity, Environment.TickCount64);
        return new Turn(this, slots);
    }

    private void Leave()
    {
        Interlocked.Exchange(ref lastActivity, Environment.TickCount64);
        Interlocked.Decrement(ref active);
    }

    public void Dispose() => slots?.Dispose();

    private sealed class Turn(PredictionGate gate, SemaphoreSlim? slots) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 1) return;
            gate.Leave();
            slots?.Release();
        }
    }
}
