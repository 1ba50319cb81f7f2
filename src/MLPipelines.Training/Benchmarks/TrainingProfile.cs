using System.Diagnostics;
using MLPipelines.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Training.Benchmarks;

/// <summary>One measured part of a training batch: milliseconds per call, warm, averaged over the calls (NaN: a heading for the parts after it).</summary>
public sealed record ProfiledOp(string Name, double Milliseconds);

/// <summary>
/// Where a training batch's time goes: the whole step and each layer's forward and backward pass timed alone on random
/// data of the network's shapes, the project's kernels beside libtorch's own ops they replace. What
/// <c>mlp bench train --profile</c> prints.
/// </summary>
public static class TrainingProfile
{
    public static IReadOnlyList<ProfiledOp> Run(int batch = 64, int threads = 0, int calls = 200, CancellationToken cancel = default)
    {
        int used = TorchRuntime.SetThreads(threads);
        using var scope = NewDisposeScope();
        manual_seed(1);
        var ops = new List<ProfiledOp>();
        void Time(string name, Action step)
        {
            cancel.ThrowIfCancellationRequested();
            // Warm for a while too: .NET recompiles a hot method optimized only after 30 calls and a delay that starts
            // again while other methods are still being compiled, so the first op would otherwise time unoptimized code.
            var warm = Stopwatch.StartNew();
            int warmMilliseconds = calls < 100 ? 0 : ops.Count == 0 ? 2000 : 500;
            for (int i = 0; i < Math.Max(5, calls / 4) || warm.ElapsedMilliseconds < warmMilliseconds; i++) Step(step);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) Step(step);
            ops.Add(new ProfiledOp(name, clock.Elapsed.TotalMilliseconds / calls));
        }

        var net = new DigitNet();
        var x = randn(batch, 1, 28, 28);
        var y = randint(0, 10, batch, ScalarType.Int64);
        var optimizer = optim.SGD(net.parameters(), 0.01, 0.5);
        int shardCount = 1;
        if (used > 1)
        {
            // What the trainer does: the batch split between the threads, each shard's libtorch serial.
            using var shards = new ShardedGradients(used);
            shardCount = shards.ShardsFor(batch);
            var trainable = net.parameters().Cast<Tensor>().ToList();
            set_num_threads(1);
            try
            {
                Time($"training step, batch split in {shardCount} shards (the trainer's)", () => { shards.LossAndGradients(net, trainable, x, y); optimizer.step(); });
            }
            finally
            {
                set_num_threads(used);
            }
        }
        Time($"training step (batch {batch}, {used} threads{(used > 1 ? " per op" : "")})", () => { optimizer.zero_grad(); F.nll_loss(net.call(x), y).backward(); optimizer.step(); });
        if (shardCount == 1)
        {
            Parts(Time, net, x, y, optimizer);
            return ops;
        }
        // The parts as the trainer runs them: each shard's images, libtorch on one thread.
        int part = batch / shardCount;
        ops.Add(new ProfiledOp($"each part on one shard ({part} images, 1 thread):", double.NaN));
        set_num_threads(1);
        try
        {
            Time($"  training step ({part} images, 1 thread)", () => { optimizer.zero_grad(); F.nll_loss(net.call(x[..part]), y[..part]).backward(); optimizer.step(); });
            Parts(Time, net, x[..part], y[..part], optimizer);
        }
        finally
        {
            set_num_threads(used);
        }
        return ops;
    }

    private static void Parts(Action<string, Action> time, DigitNet net, Tensor x, Tensor y, optim.Optimizer optimizer)
    {
        long batch = x.shape[0];
        time("  forward pass (training mode)", () => net.call(x));
        time("  forward pass, inference (eval, no grad)", () =>
        {
            net.eval();
            using var _ = no_grad();
            net.call(x);
            net.train();
        });
        var conv1 = nn.Conv2d(1, 10, 5);
        time("  conv1 forward + backward (FastConv)", () => { conv1.zero_grad(); FastConv.Apply(conv1, x).sum().backward(); });
        time("  conv1 forward + backward (libtorch)", () => { conv1.zero_grad(); conv1.call(x).sum().backward(); });
        time("  conv1 forward, no grad (FastConv)", () => { using var _ = no_grad(); FastConv.Apply(conv1, x); });
        time("  conv1 forward, no grad (libtorch)", () => { using var _ = no_grad(); conv1.call(x); });
        var pooled1 = randn(batch, 10, 24, 24).requires_grad_(true);
        time("  pool + relu 1 forward + backward (MaxPoolRelu)", () => MaxPoolRelu.Apply(pooled1).sum().backward());
        var conv2 = nn.Conv2d(10, 20, 5);
        var input2 = randn(batch, 10, 12, 12).requires_grad_(true);
        time("  conv2 forward + backward (libtorch)", () => { conv2.zero_grad(); conv2.call(input2).sum().backward(); });
        time("  conv2 forward + backward (FastConv)", () => { conv2.zero_grad(); FastConv.Apply(conv2, input2).sum().backward(); });
        time("  conv2 forward, no grad (FastConv)", () => { using var _ = no_grad(); FastConv.Apply(conv2, input2); });
        time("  conv2 forward, no grad (libtorch)", () => { using var _ = no_grad(); conv2.call(input2); });
        var dropout = nn.Dropout2d(0.5);
        var pooled2 = randn(batch, 20, 8, 8).requires_grad_(true);
        time("  Dropout2d + pool + relu 2 forward + backward", () => MaxPoolRelu.Apply(dropout.call(pooled2)).sum().backward());
        var fc1 = nn.Linear(320, 50);
        var fc2 = nn.Linear(50, 10);
        var flat = randn(batch, 320).requires_grad_(true);
        time("  fc1, relu, fc2, log_softmax, NLL forward + backward", () => F.nll_loss(F.log_softmax(fc2.call(F.relu(fc1.call(flat))), 1), y).backward());
        time("  SGD step", () => optimizer.step());
    }

    // Each call's temporaries are freed at once, as the trainer's batches free theirs.
    private static void Step(Action step)
    {
        using var scope = NewDisposeScope();
        step();
    }
}
