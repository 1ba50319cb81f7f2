using MLPipelines.Models;
using MLPipelines.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Models.Tests;

[TestClass]
public sealed class DigitNetTests
{
    [TestMethod]
    public void KernelFiveHasTheAssignmentsParameterCounts()
    {
        using var net = new DigitNet();
        var summary = ModelSummary.Of(net, 64, 1, 28, 28);

        Assert.AreEqual(21_840, summary.TotalParameters);
        Assert.AreEqual(21_840, summary.TrainableParameters);
        Assert.AreEqual(0, summary.NonTrainableParameters);
        CollectionAssert.AreEqual(new long[] { 260, 5_020, 0, 16_050, 510 }, summary.Layers.Select(l => l.Parameters).ToArray());
        CollectionAssert.AreEqual(new[] { "Conv2d", "Conv2d", "Dropout2d", "Linear", "Linear" }, summary.Layers.Select(l => l.Type).ToArray());
        CollectionAssert.AreEqual(new long[] { 64, 10, 24, 24 }, summary.Layers[0].OutputShape);
        CollectionAssert.AreEqual(new long[] { 64, 20, 8, 8 }, summary.Layers[1].OutputShape);
        CollectionAssert.AreEqual(new long[] { 64, 50 }, summary.Layers[3].OutputShape);
        CollectionAssert.AreEqual(new long[] { 64, 10 }, summary.OutputShape);

        string text = summary.ToString();
        StringAssert.Contains(text, "Layer (type:depth-idx)");
        StringAssert.Contains(text, "├─Linear: 1-4");
        StringAssert.Contains(text, "16,050");
        StringAssert.Contains(text, "Total params: 21,840");
        StringAssert.Contains(text, "Non-trainable params: 0");
    }

    [TestMethod]
    public void KernelFourDerivesItsFlattenSize()
    {
        var options = new DigitNetOptions { KernelSize = 4 };
        Assert.AreEqual(320, options.FlattenSize);   // 28 → 25 → 12 → 9 → 4: 20 x 4 x 4
        using var net = new DigitNet(options);
        var summary = ModelSummary.Of(net, 2, 1, 28, 28);

        // conv1 10x1x4x4+10, conv2 20x10x4x4+20, fc1 320x50+50, fc2 50x10+10
        Assert.AreEqual(170 + 3_220 + 16_050 + 510, summary.TotalParameters);
        CollectionAssert.AreEqual(new long[] { 2, 10, 25, 25 }, summary.Layers[0].OutputShape);
        CollectionAssert.AreEqual(new long[] { 2, 20, 9, 9 }, summary.Layers[1].OutputShape);
    }

    [TestMethod]
    public void FlattenSizeFollowsTheInputAndKernel()
    {
        Assert.AreEqual(20 * 5 * 5, new DigitNetOptions { InputSize = 32, KernelSize = 5 }.FlattenSize);
        Assert.AreEqual(20 * 5 * 5, new DigitNetOptions { KernelSize = 3 }.FlattenSize);
        Assert.ThrowsExactly<ArgumentException>(() => new DigitNetOptions { KernelSize = 13 }.Validate());
    }

    [TestMethod]
    public void FrozenLayersShowInParentheses()
    {
        using var net = new DigitNet();
        net.SetTrainable(false);
        var summary = ModelSummary.Of(net, 1, 1, 28, 28);
        Assert.AreEqual(0, summary.TrainableParameters);
        StringAssert.Contains(summary.ToString(), "(16,050)");
    }

    [TestMethod]
    [DataRow(24, 24)]
    [DataRow(25, 25)]
    [DataRow(8, 9)]
    public void FastMaxPoolMatchesLibtorchInValuesAndGradients(int h, int w)
    {
        manual_seed(3);
        using var x = randn(4, 3, h, w).requires_grad_(true);
        using var y = randn(4, 3, h, w).requires_grad_(true);
        using (no_grad()) y.copy_(x);

        var expected = F.max_pool2d(x, 2);
        var actual = FastMaxPool.Pool2x2(y);
        Assert.IsTrue(expected.equal(actual).all().item<bool>(), "values");

        using var weights = randn(expected.shape);
        (expected * weights).sum().backward();
        (actual * weights).sum().backward();
        Assert.IsTrue(x.grad!.equal(y.grad!).all().item<bool>(), "gradients");
    }

    [TestMethod]
    public void FastMaxPoolGivesTiesToTheFirstElementLikeLibtorch()
    {
        using var x = zeros(1, 2, 4, 4).requires_grad_(true);   // all ties, as in a channel Dropout2d zeroed
        using var y = zeros(1, 2, 4, 4).requires_grad_(true);
        F.max_pool2d(x, 2).sum().backward();
        FastMaxPool.Pool2x2(y).sum().backward();
        Assert.IsTrue(x.grad!.equal(y.grad!).all().item<bool>());
    }

    [TestMethod]
    [DataRow(24, 24)]
    [DataRow(25, 25)]
    [DataRow(8, 9)]
    [DataRow(9, 9)]
    [DataRow(26, 26)]
    public void MaxPoolReluMatchesLibtorchInValuesAndGradients(int h, int w)
    {
        manual_seed(5);
        using var x = randn(4, 3, h, w).requires_grad_(true);
        using var y = randn(4, 3, h, w).requires_grad_(true);
        using (no_grad())
        {
            x.index_put_(0f, x.lt(-1.5));        // ties inside windows, as a zeroed channel or a flat background gives
            x.index_put_(float.NaN, x.gt(2.3));  // and NaN, which wins a window and passes through relu
            y.copy_(x);
        }

        var expected = F.relu(F.max_pool2d(x, 2));
        var actual = MaxPoolRelu.Apply(y);
        CollectionAssert.AreEqual(expected.shape, actual.shape);
        Assert.IsTrue(expected.isnan().any().item<bool>(), "the data has NaN windows");
        Assert.IsTrue(expected.nan_to_num(-7f).equal(actual.nan_to_num(-7f)).all().item<bool>(), "values");

        using var weights = randn(expected.shape);
        (expected.nan_to_num(0f) * weights).sum().backward();
        (actual.nan_to_num(0f) * weights).sum().backward();
        Assert.IsTrue(x.grad!.equal(y.grad!).all().item<bool>(), "gradients");
    }

    [TestMethod]
    public void MaxPoolReluGivesTiesToTheFirstElementLikeLibtorch()
    {
        using var x = full(new long[] { 1, 2, 4, 4 }, 0.5f).requires_grad_(true);
        using var y = full(new long[] { 1, 2, 4, 4 }, 0.5f).requires_grad_(true);
        F.relu(F.max_pool2d(x, 2)).sum().backward();
        MaxPoolRelu.Apply(y).sum().backward();
        Assert.IsTrue(x.grad!.equal(y.grad!).all().item<bool>());
    }

    [TestMethod]
    public void GivenDropoutNoiseIsWhatDropout2dWouldDraw()
    {
        using var net = new DigitNet();
        net.train();
        using var x = randn(16, 1, 28, 28);
        manual_seed(4);
        using var expected = net.forward(x);
        manual_seed(4);
        using var noise = net.DropoutNoise(16);
        using var actual = net.Forward(x, noise);
        Assert.IsTrue(expected.equal(actual).all().item<bool>(), "bit for bit");
        net.eval();
        Assert.IsNull(net.DropoutNoise(16), "no noise in eval mode");
    }

    [TestMethod]
    [DataRow(5, 28, 28, false)]   // the assignment's first layer: the fast 5-tap rows
    [DataRow(4, 28, 28, false)]   // the sweeps' kernel 4: rows of 25, the general loop
    [DataRow(5, 13, 17, true)]    // odd sizes, and an input that wants its gradient too
    [DataRow(3, 9, 9, true)]
    [DataRow(5, 12, 12, true, 10, 20)]  // the second layer: 10 channels in, rows of 8
    [DataRow(4, 13, 13, true, 10, 20)]
    [DataRow(7, 28, 28, false, 1, 7)]   // rows of 22: two vectors and a scalar tail; channels not a multiple of 4
    [DataRow(3, 11, 11, true, 3, 5)]
    [DataRow(5, 20, 28, true, 3, 6)]    // rows of 24 (three vector blocks), an odd number of input channels
    [DataRow(4, 12, 12, true, 10, 20)]  // the sweeps' kernel 4 second layer: rows of 9, the last vector overlapping
    [DataRow(2, 10, 19, true, 3, 4)]    // a 2-wide kernel's input gradient: zero taps, rows of 18 padded to 24
    [DataRow(7, 14, 14, true, 2, 3)]    // wider than 5: libtorch's input gradient
    [DataRow(3, 10, 10, true, 2, 5)]    // rows of 8, planes of 64: the 16-wide loops with a 3-wide kernel
    [DataRow(5, 14, 12, true, 3, 9)]    // rows of 8, 10 rows: planes of 80, five 16-wide vectors (an odd count)
    [DataRow(5, 13, 12, true, 2, 3)]    // an odd number of input rows: the input gradient's last row pair is one row
    [DataRow(5, 11, 10, true, 3, 4)]    // gradient rows of 6, padded to 8
    public void FastConvMatchesLibtorchInValuesAndGradients(int kernel, int h, int w, bool inputGradient, int inChannels = 1, int outChannels = 10)
    {
        // Both vector widths where the CPU has AVX-512 (the 16-wide loops where the shapes fit), else the 8-wide ones.
        bool wide = FastConv.WideVectors;
        try
        {
            foreach (bool width in wide ? new[] { false, true } : [false])
            {
                FastConv.WideVectors = width;
                ConvMatchesLibtorch(kernel, h, w, inputGradient, inChannels, outChannels);
            }
        }
        finally
        {
            FastConv.WideVectors = wide;
        }
    }

    private static void ConvMatchesLibtorch(int kernel, int h, int w, bool inputGradient, int inChannels, int outChannels)
    {
        manual_seed(7);
        using var reference = nn.Conv2d(inChannels, outChannels, kernel);
        using var fast = nn.Conv2d(inChannels, outChannels, kernel);
        using (no_grad())
        {
            fast.weight!.copy_(reference.weight!);
            fast.bias!.copy_(reference.bias!);
        }
        using var x = randn(6, inChannels, h, w).requires_grad_(inputGradient);
        using var y = x.detach().clone().requires_grad_(inputGradient);

        var expected = reference.call(x);
        var actual = FastConv.Apply(fast, y);
        Assert.IsTrue(expected.allclose(actual, rtol: 1e-5, atol: 1e-6), "values");
        using var weights = randn(expected.shape);
        (expected * weights).sum().backward();
        (actual * weights).sum().backward();
        Assert.IsTrue(reference.weight!.grad!.allclose(fast.weight!.grad!, rtol: 1e-4, atol: 1e-4), "weight gradient");
        Assert.IsTrue(reference.bias!.grad!.allclose(fast.bias!.grad!, rtol: 1e-4, atol: 1e-4), "bias gradient");
        if (inputGradient) Assert.IsTrue(x.grad!.allclose(y.grad!, rtol: 1e-4, atol: 1e-5), "input gradient");
    }

    [TestMethod]
    public void FastConvSumsInOneOrderWhateverTheThreads()
    {
        manual_seed(3);
        using var conv = nn.Conv2d(1, 10, 5);
        using var x = randn(64, 1, 28, 28);
        using var g = randn(64, 10, 24, 24);
        Tensor Gradient(int threads)
        {
            int before = get_num_threads();
            set_num_threads(threads);
            try
            {
                conv.zero_grad();
                (FastConv.Apply(conv, x) * g).sum().backward();
                return conv.weight!.grad!.clone();
            }
            finally
            {
                set_num_threads(before);
            }
        }
        using var one = Gradient(1);
        using var two = Gradient(2);
        Assert.IsTrue(one.equal(two).all().item<bool>(), "bit-identical with 1 and 2 threads");
    }

    [TestMethod]
    public void FastConvForwardMatchesLibtorchWhateverTheThreads()
    {
        manual_seed(5);
        using var conv = nn.Conv2d(10, 20, 5);
        using var x = randn(37, 10, 12, 12);
        using var _ = no_grad();
        using var expected = conv.call(x);
        Tensor Run(int threads)
        {
            int before = get_num_threads();
            set_num_threads(threads);
            try
            {
                return FastConv.Apply(conv, x);
            }
            finally
            {
                set_num_threads(before);
            }
        }
        using var one = Run(1);
        using var two = Run(2);
        Assert.IsTrue(expected.allclose(one, rtol: 1e-5, atol: 1e-5), "values");
        Assert.IsTrue(one.equal(two).all().item<bool>(), "bit-identical with 1 and 2 threads");
        CollectionAssert.AreEqual(expected.shape, one.shape);
    }

    [TestMethod]
    [DataRow(1, 10, 5, 28, 28)]   // the first layer
    [DataRow(10, 20, 5, 12, 12)]  // the second
    [DataRow(3, 5, 3, 10, 18)]    // channels not a multiple of 4
    [DataRow(2, 4, 5, 13, 12)]    // an odd number of rows: the last is dropped, as max_pool2d does
    [DataRow(1, 10, 4, 28, 28)]   // the sweeps' kernel 4: 25 columns, the last dropped by the pool
    [DataRow(10, 20, 4, 12, 12)]  // 9 columns: one block, the ninth dropped
    [DataRow(3, 6, 3, 22, 22)]    // 20 columns: the last block overlaps the one before it
    public void FusedInferenceConvPoolReluMatchesLibtorch(int inChannels, int outChannels, int kernel, int h, int w)
    {
        manual_seed(11);
        using var conv = nn.Conv2d(inChannels, outChannels, kernel);
        using var x = randn(9, inChannels, h, w);
        using var _ = no_grad();
        using var expected = F.relu(F.max_pool2d(conv.call(x), 2));
        Assert.IsTrue(FastConv.TryPoolRelu(conv, x, out var actual));
        using (actual)
        {
            CollectionAssert.AreEqual(expected.shape, actual.shape);
            Assert.IsTrue(expected.allclose(actual, rtol: 1e-5, atol: 1e-5));
        }
        using var narrow = randn(2, inChannels, h, kernel + 6);
        Assert.IsFalse(FastConv.TryPoolRelu(conv, narrow, out var _), "pooled rows under 8 convolution columns");
    }

    [TestMethod]
    public void InferenceThroughTheCSharpLayersEqualsLibtorchsLayers()
    {
        manual_seed(2);
        using var net = new DigitNet();
        net.eval();
        using var x = rand(50, 1, 28, 28);
        using var _ = no_grad();
        var p = net.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        var h = F.relu(F.max_pool2d(F.conv2d(x, p["conv1.weight"], p["conv1.bias"]), 2));
        h = F.relu(F.max_pool2d(F.conv2d(h, p["conv2.weight"], p["conv2.bias"]), 2));
        h = F.relu(F.linear(h.flatten(1), p["fc1.weight"], p["fc1.bias"]));
        using var expected = F.log_softmax(F.linear(h, p["fc2.weight"], p["fc2.bias"]), 1);
        using var actual = net.call(x);
        Assert.IsTrue(expected.allclose(actual, rtol: 1e-4, atol: 1e-5));
        Assert.IsTrue(expected.argmax(1).equal(actual.argmax(1)).all().item<bool>());
    }

    [TestMethod]
    public void AFrozenConvolutionStillPassesItsInputsGradientOn()
    {
        manual_seed(4);
        using var reference = nn.Conv2d(10, 20, 5);
        using var frozen = nn.Conv2d(10, 20, 5);
        using (no_grad())
        {
            frozen.weight!.copy_(reference.weight!);
            frozen.bias!.copy_(reference.bias!);
        }
        foreach (var p in frozen.parameters()) p.requires_grad = false;
        using var x = randn(4, 10, 12, 12).requires_grad_(true);
        using var y = x.detach().clone().requires_grad_(true);
        reference.call(x).sum().backward();
        FastConv.Apply(frozen, y).sum().backward();
        Assert.IsNotNull(y.grad, "the input got its gradient through the frozen layer");
        Assert.IsTrue(x.grad!.allclose(y.grad!, rtol: 1e-4, atol: 1e-5));
    }

    [TestMethod]
    public void ReplacingTheOutputLayerChangesOnlyIt()
    {
        using var net = new DigitNet();
        net.SetTrainable(false);
        using var transfer = net.WithNewOutput(3);
        var summary = ModelSummary.Of(transfer, 1, 1, 28, 28);
        Assert.AreEqual(21_483, summary.TotalParameters);
        Assert.AreEqual(153, summary.TrainableParameters);
        Assert.AreEqual(21_330, summary.NonTrainableParameters);
        CollectionAssert.AreEqual(new long[] { 1, 3 }, summary.OutputShape);
        Assert.IsTrue(transfer.Fc1.weight!.equal(net.Fc1.weight!).all().item<bool>(), "features copied");
        Assert.IsFalse(transfer.Fc1.weight!.requires_grad, "and still frozen");
    }
}
