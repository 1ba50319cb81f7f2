using System.Collections.Concurrent;
using System.Diagnostics;

namespace MLPipelines.Animals.Features;

/// <summary>What a featurization pass did: how many images came from the cache, were computed, or failed.</summary>
public sealed record FeaturizeStats(int Total, int FromCache, int Computed, double ComputeSeconds, IReadOnlyList<(string Path, string Reason)> Failed)
{
    /// <summary>Wall-clock milliseconds per computed image: decode, resize, pixels and network together.</summary>
    public double MillisecondsPerImage => Computed == 0 ? 0 : ComputeSeconds * 1000 / Computed;
}

/// <summary>
/// Features for a list of photos: from the cache when there, else computed in batches on <see cref="OnnxBackbone"/>.
/// Decoding runs on a background thread one batch ahead of the network, so the two overlap. Stops at a batch
/// boundary on cancellation, keeping (and caching) what was done.
/// </summary>
public static class Featurizer
{
    /// <param name="view">Which view of the photos (plain, or mirrored/zoomed for training-time augmentation); each is cached apart.</param>
    public static (float[]?[] Features, FeaturizeStats Stats) Run(IReadOnlyList<string> paths, OnnxBackbone backbone, FeatureCache? cache,
        Action<int, int>? progress = null, CancellationToken cancel = default, ImageView view = default)
    {
        if (view.Zoom <= 0) view = ImageView.Plain; // default(ImageView)
        string variant = view.CacheVariant;
        var result = new float[]?[paths.Count];
        var todo = new List<int>();
        for (int i = 0; i < paths.Count; i++)
        {
            if (cache is not null && cache.TryGet(paths[i], out var f, variant)) result[i] = f;
            else todo.Add(i);
        }
        int fromCache = paths.Count - todo.Count;
        var failed = new ConcurrentBag<(string, string)>();
        int batchSize = backbone.Options.BatchSize;
        var clock = Stopwatch.StartNew();
        int done = 0;
        progress?.Invoke(0, todo.Count);

        // Decoder thread -> bounded queue of ready batches -> network on this thread. `stop` also ends the
        // decoder when the network fails, so that it never waits forever on a full queue.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var ready = new BlockingCollection<Batch>(boundedCapacity: 1);
        var decoder = Task.Run(() =>
        {
            try
            {
                for (int start = 0; start < todo.Count && !stop.IsCancellationRequested; start += batchSize)
                {
                    var batch = new Batch(new float[batchSize * ImagePreprocessor.Length], []);
                    foreach (int i in todo.Skip(start).Take(batchSize))
                    {
                        var slot = batch.Pixels.AsSpan(batch.Items.Count * ImagePreprocessor.Length, ImagePreprocessor.Length);
                        string? error = null;
                        try
                        {
                            if (!ImagePreprocessor.TryLoad(paths[i], slot, view)) error = "does not decode";
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
                        {
                            error = e.Message;
                        }
                        if (error is null) batch.Items.Add(i);
                        else failed.Add((paths[i], error));
                    }
                    ready.Add(batch, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                ready.CompleteAdding();
            }
        });

        try
        {
            foreach (var batch in ready.GetConsumingEnumerable())
            {
                if (batch.Items.Count > 0)
                {
                    var features = backbone.Run(batch.Pixels, batch.Items.Count);
                    for (int k = 0; k < batch.Items.Count; k++)
                    {
                        int i = batch.Items[k];
                        result[i] = features[k];
                        cache?.Put(paths[i], features[k], variant);
                    }
                }
                done += batchSize;
                progress?.Invoke(Math.Min(done, todo.Count), todo.Count);
                if (cancel.IsCancellationRequested) break;
            }
        }
        finally
        {
            stop.Cancel();
            decoder.Wait(CancellationToken.None);
            cache?.Save();
        }
        int computed = result.Count(r => r is not null) - fromCache;
        var stats = new FeaturizeStats(paths.Count, fromCache, computed, clock.Elapsed.TotalSeconds, failed.OrderBy(f => f.Item1, StringComparer.Ordinal).ToList());
        cancel.ThrowIfCancellationRequested();
        return (result, stats);
    }

    private sealed record Batch(float[] Pixels, List<int> Items);
}
