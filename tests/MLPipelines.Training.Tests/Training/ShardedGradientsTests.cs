using MLPipelines.Models;
using MLPipelines.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Training.Tests.Training;

[TestClass]
public sealed class ShardedGradientsTests
{
    [TestMethod]
    [DataRow(2, 64)]
    [DataRow(3, 50)]   // shards of unequal size
    public void ShardedGradientsMatchTheWholeBatchsAndRepeatBitForBit(int threads, int batch)
    {
        manual_seed(5);
        using var model = new DigitNet();
        model.train();
        using var x = randn(batch, 1, 28, 28);
        using var y = randint(10, batch, dtype: ScalarType.Int64);
        var parameters = model.parameters().Cast<Tensor>().ToList();

        manual_seed(9);
        var whole = F.nll_loss(model.forward(x), y);
        var expected = autograd.grad([whole], parameters).ToArray();

        using var shards = new ShardedGradients(threads);
        Tensor[] Sharded(out double loss)
        {
            manual_seed(9);   // the same dropout noise as the whole batch drew
            int before = get_num_threads();
            set_num_threads(1);
            try
            {
                loss = shards.LossAndGradients(model, parameters, x, y);
            }
            finally
            {
                set_num_threads(before);
            }
            return parameters.Select(p => p.grad!.clone()).ToArray();
        }
        var first = Sharded(out double loss);
        var second = Sharded(out double again);

        Assert.AreEqual(whole.item<float>(), loss, 1e-5, "the batch's mean loss");
        Assert.AreEqual(loss, again);
        for (int p = 0; p < parameters.Count; p++)
        {
            Assert.IsTrue(expected[p].allclose(first[p], rtol: 1e-4, atol: 1e-6), $"gradient {p} equals the whole batch's");
            Assert.IsTrue(first[p].equal(second[p]).all().item<bool>(), $"gradient {p} is bit-identical the second time");
        }
    }

    [TestMethod]
    public void SmallBatchesAreNotSplitBelowEightImagesAShard()
    {
        using var shards = new ShardedGradients(2);
        Assert.AreEqual(1, shards.ShardsFor(15));
        Assert.AreEqual(2, shards.ShardsFor(16));
        Assert.AreEqual(2, shards.ShardsFor(64));
    }

    [TestMethod]
    public void AShardsFailureReachesTheCaller()
    {
        using var model = new DigitNet();
        model.train();
        using var x = randn(32, 1, 28, 28);
        using var y = full(new long[] { 32 }, 3L);
        y[31] = tensor(99L);   // a label past the classes, in the worker's shard
        using var shards = new ShardedGradients(2);
        Assert.ThrowsExactly<System.Runtime.InteropServices.ExternalException>(() => shards.LossAndGradients(model, model.parameters().ToList(), x, y));
        // The workers still serve the next batch.
        y[31] = tensor(3L);
        Assert.IsTrue(double.IsFinite(shards.LossAndGradients(model, model.parameters().ToList(), x, y)));
    }

    [TestMethod]
    public void FrozenParametersGetNoGradientAndAFrozenNetworkIsRefusedNotFatal()
    {
        using var model = new DigitNet();
        model.train();
        using var x = randn(32, 1, 28, 28);
        using var y = randint(10, 32, dtype: ScalarType.Int64);
        var parameters = model.parameters().Cast<Tensor>().ToList();
        using var shards = new ShardedGradients(2);
        foreach (var (name, p) in model.named_parameters()) p.requires_grad = name.StartsWith("fc2.", StringComparison.Ordinal);
        shards.LossAndGradients(model, parameters, x, y);
        foreach (var (name, p) in model.named_parameters())
            Assert.AreEqual(name.StartsWith("fc2.", StringComparison.Ordinal), p.grad is not null && p.grad.abs().sum().item<float>() > 0, name);
        // libtorch's grad() would end the process here; the same refusal as backward() instead.
        model.SetTrainable(false);
        Assert.ThrowsExactly<InvalidOperationException>(() => shards.LossAndGradients(model, parameters, x, y));
    }
}
