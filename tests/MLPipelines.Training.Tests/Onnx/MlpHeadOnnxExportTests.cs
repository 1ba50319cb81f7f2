using MLPipelines.Tests.Support;
using MLPipelines.Training;
using MLPipelines.Training.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Training.Tests.Onnx;

/// <summary>A classifier head on precomputed 512-float features (the animals model's shape), exported and run.</summary>
[TestClass]
public sealed class MlpHeadOnnxExportTests
{
    private const int Features = 512, Classes = 7, Rows = 200;

    private static (Linear Fc1, ReLU Relu, Dropout Drop, Linear Fc2) Layers()
    {
        manual_seed(5);
        return (nn.Linear(Features, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, Classes));
    }

    // Pooled ResNet features are non-negative (after a ReLU); scale them like real ones.
    private static Tensor SomeFeatures(int rows)
    {
        manual_seed(6);
        return rand(rows, Features) * 3;
    }

    private static float[] RunOnnx(byte[] model, Tensor features, int rows)
    {
        using var onnx = new OnnxRunner(model);
        var (values, shape) = onnx.Run(MlpHeadOnnxExporter.InputName, features.data<float>().ToArray(), rows, Features)[OnnxClassifier.LogProbabilities];
        CollectionAssert.AreEqual(new long[] { rows, Classes }, shape);
        return values;
    }

    [TestMethod]
    public void SequentialHeadMatchesTorchSharp()
    {
        var (fc1, relu, drop, fc2) = Layers();
        using var head = nn.Sequential(("fc1", fc1), ("relu", relu), ("drop", drop), ("fc2", fc2));
        head.eval();
        using var features = SomeFeatures(Rows);
        using var expected = F.log_softmax(head.call(features), 1);

        var model = MlpHeadOnnxExporter.Export(head);
        Assert.AreEqual("Features: float32 [batch, 512]", OnnxModelFile.Describe(model.Graph.Input.Single()));
        CollectionAssert.IsSubsetOf(new[] { "fc1.weight", "fc2.bias" }, model.Graph.Initializer.Select(t => t.Name).ToArray());
        OnnxAssert.Close(expected.data<float>().ToArray(), RunOnnx(OnnxModelFile.ToBytes(model), features, Rows), "MLP head");
    }

    [TestMethod]
    public void LayerListRunsOneRowAtATime()
    {
        var (fc1, relu, drop, fc2) = Layers();
        using var features = SomeFeatures(1);
        using var expected = F.log_softmax(fc2.call(relu.call(fc1.call(features))), 1);
        byte[] model = OnnxModelFile.ToBytes(MlpHeadOnnxExporter.Export([fc1, relu, drop, fc2]));
        OnnxAssert.Close(expected.data<float>().ToArray(), RunOnnx(model, features, 1), "MLP head, batch of 1");
    }

    [TestMethod]
    public void UnsupportedLayersAreRefusedByName()
    {
        var e = Assert.ThrowsExactly<NotSupportedException>(() => MlpHeadOnnxExporter.Export([nn.Linear(4, 3), nn.Tanh()]));
        StringAssert.Contains(e.Message, "Tanh");
    }
}
