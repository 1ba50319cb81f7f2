using MLPipelines.Training.Onnx;
using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Animals.Features.Quantization;

/// <summary>
/// Writes a float network (batch norms folded, <see cref="BatchNormFolding"/>) as an ONNX QDQ model: every activation
/// goes through QuantizeLinear/DequantizeLinear (uint8, asymmetric, the calibrated range), every convolution reads int8
/// weights with one scale per output channel and an int32 bias, so that ONNX Runtime fuses each DQ → Conv → Q into its
/// integer QLinearConv (and Add into QLinearAdd, MaxPool onto uint8). A ReLU right after a Conv or Add is not written: the
/// output is quantized onto [0, max] with zero point 0, where clamping at 0 is the ReLU.
/// </summary>
internal sealed class QdqWriter
{
    private readonly GraphProto source;
    private readonly IReadOnlyDictionary<string, ValueRange> ranges;
    private readonly int weightLevels;
    private readonly GraphProto graph = new();
    private readonly Dictionary<string, (string Dq, float Scale, byte ZeroPoint)> quantized = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float[]> weightScales = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> inits;
    private readonly ILookup<string, NodeProto> consumers;
    private readonly HashSet<string> outputs;

    private QdqWriter(GraphProto source, IReadOnlyDictionary<string, ValueRange> ranges, bool reduceRange)
    {
        this.source = source;
        this.ranges = ranges;
        weightLevels = reduceRange ? 63 : 127;
        inits = source.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        consumers = source.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);
        outputs = source.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <param name="reduceRange">7-bit weights (±63): no int16 saturation in the u8·s8 kernels of CPUs without VNNI.</param>
    public static ModelProto Write(ModelProto folded, IReadOnlyDictionary<string, ValueRange> ranges, bool reduceRange)
    {
        var writer = new QdqWriter(folded.Graph, ranges, reduceRange);
        var model = folded.Clone();
        model.Graph = writer.Build();
        return model;
    }

    private GraphProto Build()
    {
        graph.Name = source.Name;
        graph.Input.AddRange(source.Input.Select(i => i.Clone()));
        graph.Output.AddRange(source.Output.Select(o => o.Clone()));
        foreach (var input in source.Input) Quantize(input.Name, input.Name, Range(input.Name));
        var skipped = new HashSet<NodeProto>();
        foreach (var node in source.Node)
        {
            if (skipped.Contains(node)) continue;
            switch (node.OpType)
            {
                case "Conv":
                    Emit(Node("Conv", [Dq(node.Input[0]), Weights(node), Bias(node)], node.Output[0], node));
                    QuantizeOutput(node, skipped);
                    break;
                case "Add":
                    Emit(Node("Add", [Dq(node.Input[0]), Dq(node.Input[1])], node.Output[0], node));
                    QuantizeOutput(node, skipped);
                    break;
                case "MaxPool":
                {
                    var (dq, scale, zp) = quantized[QuantizedInput(node.Input[0])];
                    Emit(Node("MaxPool", [dq], node.Output[0], node));
                    Quantize(node.Output[0], node.Output[0], scale, zp); // max commutes with the monotonic quantization
                    break;
                }
                default: // Relu not after a Conv/Add, average pools: on dequantized values
                    Emit(Node(node.OpType, [Dq(node.Input[0])], node.Output[0], node));
                    if (!outputs.Contains(node.Output[0])) Quantize(node.Output[0], node.Output[0], Range(node.Output[0]));
                    break;
            }
        }
        return graph;
    }

    /// <summary>Quantizes a Conv/Add's output, through the ReLU after it when that ReLU is its only reader.</summary>
    private void QuantizeOutput(NodeProto node, HashSet<NodeProto> skipped)
    {
        string y = node.Output[0];
        var readers = consumers[y].ToList();
        if (readers is [{ OpType: "Relu" } relu] && !outputs.Contains(y) && !outputs.Contains(relu.Output[0]))
        {
            skipped.Add(relu);
            var r = Range(relu.Output[0]);
            Quantize(y, relu.Output[0], new ValueRange(0, r.Max));
        }
        else if (!outputs.Contains(y))
        {
            Quantize(y, y, Range(y));
        }
    }

    private string QuantizedInput(string name)
    {
        if (!quantized.ContainsKey(name)) Quantize(name, name, Range(name));
        return name;
    }

    private string Dq(string name) => quantized[QuantizedInput(name)].Dq;

    private ValueRange Range(string name) =>
        ranges.TryGetValue(name, out var r) ? r : throw new InvalidOperationException($"no calibrated range for {name}");

    private void Quantize(string floatTensor, string logicalName, ValueRange range)
    {
        var (scale, zp) = Parameters(range);
        Quantize(floatTensor, logicalName, scale, zp);
    }

    private void Quantize(string floatTensor, string logicalName, float scale, byte zp)
    {
        string s = Init(OnnxTensors.Of(logicalName + "_scale", [scale])), z = Init(OnnxTensors.Of(logicalName + "_zero_point", [zp]));
        string q = logicalName + "_quantized", dq = logicalName + "_dequantized";
        Emit(new NodeProto { OpType = "QuantizeLinear", Name = logicalName + "_Q", Input = { floatTensor, s, z }, Output = { q } });
        Emit(new NodeProto { OpType = "DequantizeLinear", Name = logicalName + "_DQ", Input = { q, s, z }, Output = { dq } });
        quantized[logicalName] = (dq, scale, zp);
    }

    /// <summary>uint8 scale and zero point for a range widened to hold 0 (so that 0, the padding value, is exact).</summary>
    public static (float Scale, byte ZeroPoint) Parameters(ValueRange r)
    {
        float min = Math.Min(r.Min, 0), max = Math.Max(r.Max, 0);
        float scale = (max - min) / 255f;
        if (!(scale > 0) || float.IsInfinity(scale)) return (1f, 0);
        return (scale, (byte)Math.Clamp(MathF.Round(-min / scale), 0, 255));
    }

    private string Weights(NodeProto conv)
    {
        var t = inits[conv.Input[1]];
        float[] w = OnnxTensors.Floats(t);
        int channels = (int)t.Dims[0], per = w.Length / channels;
        var q = new sbyte[w.Length];
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            float max = 0;
            for (int j = 0; j < per; j++) max = Math.Max(max, Math.Abs(w[c * per + j]));
            float s = max > 0 ? max / weightLevels : 1f;
            scales[c] = s;
            for (int j = 0; j < per; j++) q[c * per + j] = (sbyte)Math.Clamp(MathF.Round(w[c * per + j] / s), -weightLevels, weightLevels);
        }
        weightScales[conv.Name] = scales;
        return PerChannelDq(conv.Name + "_W", OnnxTensors.Of(conv.Name + "_W_quantized", q, [.. t.Dims]), scales,
            OnnxTensors.Of(conv.Name + "_W_zero_point", new sbyte[channels], channels));
    }

    /// <summary>int32 bias at scale input·weight per channel, as QLinearConv adds it to the integer accumulator.</summary>
    private string Bias(NodeProto conv)
    {
        float[] scales = weightScales[conv.Name];
        float inputScale = quantized[conv.Input[0]].Scale;
        float[] b = conv.Input.Count > 2 ? OnnxTensors.Floats(inits[conv.Input[2]]) : new float[scales.Length];
        var q = new int[b.Length];
        var bs = new float[b.Length];
        for (int c = 0; c < b.Length; c++)
        {
            bs[c] = inputScale * scales[c];
            q[c] = (int)Math.Clamp(Math.Round(b[c] / bs[c]), int.MinValue, int.MaxValue);
        }
        return PerChannelDq(conv.Name + "_B", OnnxTensors.Of(conv.Name + "_B_quantized", q, b.Length), bs,
            OnnxTensors.Of(conv.Name + "_B_zero_point", new int[b.Length], b.Length));
    }

    private string PerChannelDq(string name, TensorProto values, float[] scales, TensorProto zeroPoints)
    {
        Init(values);
        string s = Init(OnnxTensors.Of(name + "_scale", scales, scales.Length));
        Init(zeroPoints);
        var dq = new NodeProto { OpType = "DequantizeLinear", Name = name + "_DQ", Input = { values.Name, s, zeroPoints.Name }, Output = { name + "_dequantized" } };
        dq.Attribute.Add(OnnxAttribute.Int("axis", 0));
        Emit(dq);
        return name + "_dequantized";
    }

    private string Init(TensorProto t)
    {
        graph.Initializer.Add(t);
        return t.Name;
    }

    private void Emit(NodeProto node) => graph.Node.Add(node);

    private static NodeProto Node(string op, string[] inputs, string output, NodeProto original)
    {
        var n = new NodeProto { OpType = op, Name = original.Name, Output = { output } };
        n.Input.AddRange(inputs);
        n.Attribute.AddRange(original.Attribute.Select(a => a.Clone()));
        return n;
    }
}
