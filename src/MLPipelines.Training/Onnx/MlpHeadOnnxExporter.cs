using MLPipelines.Training.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Training.Onnx;

/// <summary>
/// A classifier head on precomputed features (e.g. Linear 512→256, ReLU, Dropout, Linear 256→N on ResNet
/// features) as an ONNX model: input <see cref="InputName"/> float32 [batch, F], outputs
/// <see cref="OnnxClassifier.Probabilities"/> and <see cref="OnnxClassifier.LogProbabilities"/>. The layers
/// are given in forward order and may be any module <see cref="OnnxLayers.AddModule"/> supports.
/// </summary>
public static class MlpHeadOnnxExporter
{
    public const string InputName = "Features";

    /// <param name="layers">The head's layers in the order forward applies them; their weights are named layer0.weight, ...</param>
    public static ModelProto Export(IReadOnlyList<nn.Module> layers, string graphName = "MlpHead") =>
        Export(layers.Select((layer, i) => ($"layer{i}", layer)).ToList(), graphName);

    /// <summary>A Sequential head: its children in order, weights named as in its state_dict (0.weight, ...).</summary>
    public static ModelProto Export(Sequential head, string graphName = "MlpHead") =>
        Export(head.named_children().Select(c => (c.name, c.module)).ToList(), graphName);

    /// <param name="layers">Named layers in forward order; a layer's weights are named name.weight, name.bias.</param>
    public static ModelProto Export(IReadOnlyList<(string Name, nn.Module Layer)> layers, string graphName = "MlpHead")
    {
        var linears = layers.SelectMany(l => Linears(l.Layer)).ToList();
        if (linears.Count == 0) throw new ArgumentException("an MLP head needs at least one Linear layer");
        long features = linears[0].in_features, classes = linears[^1].out_features;

        var b = new OnnxGraphBuilder(graphName);
        string x = b.AddInput(InputName, $"{features} features per example", OnnxDim.Batch, features);
        foreach (var (name, layer) in layers) x = b.AddModule(x, layer, name);
        OnnxClassifier.AddOutputs(b, x, classes);
        b.AddMetadata("mlp.network", graphName);
        return b.Build($"{graphName}: {features} features to {classes} classes, exported from TorchSharp by MLPipelines");
    }

    private static IEnumerable<Linear> Linears(nn.Module m) =>
        m is Linear l ? [l] : m is Sequential s ? s.children().SelectMany(Linears) : [];
}
