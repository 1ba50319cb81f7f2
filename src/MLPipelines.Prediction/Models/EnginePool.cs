using System.Collections.Concurrent;
using Microsoft.ML;

namespace MLPipelines.Prediction.Models;

/// <summary>
/// ML.NET's PredictionEngine is not thread-safe; creating one per call is slow. A pool lends each caller
/// its own engine and takes it back afterwards, creating engines only when every one is busy.
/// </summary>
public sealed class EnginePool<TIn, TOut>(Func<PredictionEngine<TIn, TOut>> create) : IDisposable
    where TIn : class where TOut : class, new()
{
    private readonly ConcurrentBag<PredictionEngine<TIn, TOut>> idle = new();
    private int created;

    public int Created => created;

    public TResult Use<TResult>(Func<PredictionEngine<TIn, TOut>, TResult> work)
    {
        if (!idle.TryTake(out var engine))
        {
            engine = create();
            Interlocked.Increment(ref created);
        }
        try
        {
            return work(engine);
        }
        finally
        {
            idle.Add(engine);
        }
    }

    public void Dispose()
    {
        while (idle.TryTake(out var engine)) engine.Dispose();
    }
}
