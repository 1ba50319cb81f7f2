using System.Runtime.ExceptionServices;
using MLPipelines.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Training;

/// <summary>
/// A training batch's loss and gradients computed on several threads at once, one contiguous shard of the batch each,
/// every shard's forward and backward pass serial (libtorch and the C# kernels on one thread). The shards' gradients
/// are added in shard order, and Dropout2d's noise is drawn for the whole batch on the calling thread before the
/// split, so a seed and a thread count give the same weights every time. At the network's sizes this beats splitting
/// each operation between the threads: a batch of 64 has a few hundred small operations, each of which then had to
/// wake and wait for the other thread (docs/performance.md).
/// </summary>
public sealed class ShardedGradients : IDisposable
{
    /// <summary>Fewer images than this per shard are not worth a thread.</summary>
    public const int MinShardImages = 8;

    private readonly Worker[] workers;

    /// <param name="threads">Threads, the calling one included (at least 2).</param>
    public ShardedGradients(int threads)
    {
        if (threads < 2) throw new ArgumentOutOfRangeException(nameof(threads), threads, "sharding needs at least 2 threads");
        Threads = threads;
        workers = Enumerable.Range(1, threads - 1).Select(i => new Worker(i)).ToArray();
    }

    public int Threads { get; }

    /// <summary>Shards a batch of <paramref name="batch"/> images is split into.</summary>
    public int ShardsFor(long batch) => (int)Math.Clamp(batch / MinShardImages, 1, Threads);

    /// <summary>
    /// Sets each of <paramref name="parameters"/>' <c>grad</c> to the gradient of the batch's mean NLL loss and returns
    /// that loss. Call with libtorch set to one thread on the calling thread (<c>set_num_threads(1)</c>), as the
    /// workers are; the model in training mode.
    /// </summary>
    public double LossAndGradients(DigitNet model, IReadOnlyList<Tensor> parameters, Tensor images, Tensor labels)
    {
        long batch = images.shape[0];
        int shards = ShardsFor(batch);
        using var scope = NewDisposeScope();
        var noise = model.DropoutNoise(batch);
        var results = new Shard[shards];
        for (int s = 1; s < shards; s++)
        {
            int shard = s;
            workers[s - 1].Start(() => results[shard] = Compute(model, parameters, images, labels, noise, Range(shard)));
        }
        Exception? failure = null;
        try
        {
            results[0] = Compute(model, parameters, images, labels, noise, Range(0));
        }
        catch (Exception e)
        {
            failure = e;
        }
        for (int s = 1; s < shards; s++) failure ??= workers[s - 1].Wait();
        try
        {
            if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
            double loss = 0;
            using (no_grad())
            {
                for (int p = 0; p < parameters.Count; p++)
                {
                    // The first shard's gradient copied, the others added in order; a parameter no shard's loss
                    // reached (frozen, or off the graph) keeps no gradient, as after backward().
                    bool first = true;
                    for (int s = 0; s < shards; s++)
                    {
                        if (results[s].Gradients[p] is not { } g) continue;
                        if (!first) parameters[p].grad!.add_(g);
                        else if (parameters[p].grad is { } grad) grad.copy_(g);
                        else parameters[p].grad = g.clone();
                        first = false;
                    }
                    if (first) parameters[p].grad?.zero_();
                }
            }
            foreach (var r in results) loss += r.Loss;
            return loss;
        }
        finally
        {
            foreach (var r in results) r?.Dispose();
        }

        (long Start, long Length) Range(int s) => (s * batch / shards, (s + 1) * batch / shards - s * batch / shards);
    }

    private static Shard Compute(DigitNet model, IReadOnlyList<Tensor> parameters, Tensor images, Tensor labels, Tensor? noise, (long Start, long Length) range)
    {
        using var scope = NewDisposeScope();
        long batch = images.shape[0];
        var x = images.narrow(0, range.Start, range.Length);
        var y = labels.narrow(0, range.Start, range.Length);
        var output = model.Forward(x, noise?.narrow(0, range.Start, range.Length));
        // The batch's mean, taken as each shard's sum over the whole batch's size.
        var loss = F.nll_loss(output, y, reduction: nn.Reduction.Sum).div_(batch);
        // libtorch's grad() fails by terminating the process (not an exception TorchSharp catches), so what it would
        // refuse is refused here, as backward() refuses it.
        if (!loss.requires_grad)
            throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn (no trainable parameter reaches the loss)");
        var wanted = parameters.Where(p => p.requires_grad).ToList();
        var found = wanted.Count == 0 ? [] : autograd.grad([loss], wanted, allow_unused: true);
        var kept = new Tensor?[parameters.Count];
        for (int p = 0, w = 0; p < parameters.Count; p++)
        {
            if (!parameters[p].requires_grad) continue;
            var g = found[w++];
            kept[p] = g is null || g.IsInvalid ? null : g.MoveToOuterDisposeScope();
        }
        return new Shard(loss.item<float>(), kept);
    }

    public void Dispose()
    {
        foreach (var w in workers) w.Dispose();
    }

    private sealed record Shard(double Loss, Tensor?[] Gradients) : IDisposable
    {
        public void Dispose()
        {
            foreach (var g in Gradients) g?.Dispose();
        }
    }

    /// <summary>A dedicated thread with libtorch set to one thread (OpenMP's thread count is per thread).</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Thread thread;
        private readonly SemaphoreSlim start = new(0), done = new(0);
        private Action? job;
        private Exception? failure;
        private volatile bool stopping;

        public Worker(int index)
        {
            thread = new Thread(Run) { IsBackground = true, Name = $"mlp shard {index}" };
            thread.Start();
            done.Wait();   // its libtorch setting made before the caller sets its own
        }

        public void Start(Action work)
        {
            job = work;
            failure = null;
            start.Release();
        }

        public Exception? Wait()
        {
            done.Wait();
            return failure;
        }

        private void Run()
        {
            set_num_threads(1);
            done.Release();
            while (true)
            {
                start.Wait();
                if (stopping) return;
                try
                {
                    job!();
                }
                catch (Exception e)
                {
                    failure = e;
                }
                done.Release();
            }
        }

        public void Dispose()
        {
            stopping = true;
            start.Release();
            thread.Join();
            start.Dispose();
            done.Dispose();
        }
    }
}
