using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Animals.Features.Quantization;

/// <summary>
/// Folds every BatchNormalization that follows a Conv into that Conv's weights and bias (inference-time batch norm is a
/// per-channel affine map), so that quantization sees the weights that actually run. The result is the same network
/// at opset 13 (the first with per-channel DequantizeLinear); its ops (Conv, Relu, MaxPool, AveragePool, Add) mean
/// the same from opset 8 on.
/// </summary>
internal static class BatchNormFolding
{
    public const long Opset = 13;
    private static readonly HashSet<string> Supported = ["Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Add"];

    public static ModelProto Fold(ModelProto source)
    {
        var model = source.Clone();
        var graph = model.Graph;
        foreach (var n in graph.Node)
            if (!string.IsNullOrEmpty(n.Domain) || !Supported.Contains(n.OpType))
                throw new NotSupportedException($"INT8 quantization supports {string.Join(", ", Supported)}; the model has {n.OpType}");
        var inits = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);
        var removed = new HashSet<NodeProto>();
        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv").ToList())
        {
            var users = consumers[conv.Output[0]].ToList();
            if (users.Count != 1 || users[0].OpType != "BatchNormalization") continue;
            var bn = users[0];
            float eps = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            float[] gamma = Floats(inits, bn.Input[1]), beta = Floats(inits, bn.Input[2]), mean = Floats(inits, bn.Input[3]), variance = Floats(inits, bn.Input[4]);
            var weightTensor = inits[conv.Input[1]];
            float[] w = OnnxTensors.Floats(weightTensor);
            int outChannels = (int)weightTensor.Dims[0], per = w.Length / outChannels;
            float[] bias = conv.Input.Count > 2 ? Floats(inits, conv.Input[2]) : new float[outChannels];
            for (int c = 0; c < outChannels; c++)
            {
                float k = gamma[c] / MathF.Sqrt(variance[c] + eps);
                for (int j = 0; j < per; j++) w[c * per + j] *= k;
                bias[c] = beta[c] + (bias[c] - mean[c]) * k;
            }
            string wName = conv.Name + "_folded_W", bName = conv.Name + "_folded_B";
            graph.Initializer.Add(OnnxTensors.Of(wName, w, [.. weightTensor.Dims]));
            graph.Initializer.Add(OnnxTensors.Of(bName, bias, outChannels));
            while (conv.Input.Count > 1) conv.Input.RemoveAt(conv.Input.Count - 1);
            conv.Input.Add(wName);
            conv.Input.Add(bName);
            conv.Output[0] = bn.Output[0];
            removed.Add(bn);
        }
        if (graph.Node.Any(n => n.OpType == "BatchNormalization" && !removed.Contains(n)))
            throw new NotSupportedException("a BatchNormalization does not follow a Conv; INT8 quantization folds batch norms into convolutions");
        foreach (var n in removed) graph.Node.Remove(n);
        DropUnused(graph);
        graph.ValueInfo.Clear();
        model.OpsetImport.Clear();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.IrVersion = 7;
        return model;
    }

    /// <summary>
    /// Removes initializers no node reads (the folded ones' originals, batch norm statistics) and the graph inputs that
    /// name initializers (opset-8 models list them there too; IR 4 and later do not need to).
    /// </summary>
    public static void DropUnused(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var t in graph.Initializer.Where(t => !used.Contains(t.Name)).ToList()) graph.Initializer.Remove(t);
        var inits = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var i in graph.Input.Where(i => inits.Contains(i.Name) || !used.Contains(i.Name)).ToList()) graph.Input.Remove(i);
    }

    private static float[] Floats(Dictionary<string, TensorProto> inits, string name) =>
        inits.TryGetValue(name, out var t) ? OnnxTensors.Floats(t) : throw new NotSupportedException($"{name} is not a constant: cannot fold it");
}
