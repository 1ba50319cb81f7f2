using MLPipelines.Training.Benchmarks;

namespace MLPipelines.Training.Tests.Benchmarks;

/// <summary>mlp bench train --profile's library call: every part of a batch timed, the project's kernels beside libtorch's.</summary>
[TestClass]
public sealed class TrainingProfileTests
{
    [TestMethod]
    public void EveryPartOfABatchIsTimed()
    {
        var ops = TrainingProfile.Run(batch: 8, threads: 1, calls: 3);
        foreach (var op in ops) Console.WriteLine($"{op.Name}: {op.Milliseconds:F3} ms");
        Assert.IsTrue(ops[0].Name.StartsWith("training step (batch 8, 1 threads)", StringComparison.Ordinal), ops[0].Name);
        foreach (string part in new[] { "conv1 forward + backward (FastConv)", "conv1 forward + backward (libtorch)", "conv2 forward + backward (libtorch)", "SGD step" })
            Assert.IsTrue(ops.Any(o => o.Name.Trim() == part), $"no '{part}'");
        Assert.IsTrue(ops.All(o => o.Milliseconds > 0 && double.IsFinite(o.Milliseconds)));
    }

    [TestMethod]
    public void WithTwoThreadsThePartsAreTimedAsOneShardRunsThem()
    {
        var ops = TrainingProfile.Run(batch: 16, threads: 2, calls: 3).ToList();
        Assert.IsTrue(ops[0].Name.StartsWith("training step, batch split in 2 shards", StringComparison.Ordinal), ops[0].Name);
        int heading = ops.FindIndex(o => double.IsNaN(o.Milliseconds));
        Assert.IsTrue(heading > 0, "no heading before the shard's parts");
        Assert.AreEqual("each part on one shard (8 images, 1 thread):", ops[heading].Name);
        Assert.IsTrue(ops.Skip(heading + 1).Any(o => o.Name.Trim() == "conv2 forward + backward (FastConv)"));
        Assert.IsTrue(ops.Where((o, i) => i != heading).All(o => o.Milliseconds > 0 && double.IsFinite(o.Milliseconds)));
    }
}
