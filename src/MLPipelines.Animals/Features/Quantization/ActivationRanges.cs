using System.Numerics.Tensors;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Animals.Features.Quantization;

/// <summary>The smallest and largest value a tensor took over the calibration images.</summary>
public readonly record struct ValueRange(float Min, float Max)
{
    public ValueRange Include(ValueRange other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));
}

/// <summary>
/// Calibration: runs the float network on sample inputs with every node's output exposed, and records each tensor's
/// range (min/max over all the images; post-ReLU tensors start at 0, so the range is the largest activation seen).
/// </summary>
internal static class ActivationRanges
{
    public static Dictionary<string, ValueRange> Measure(ModelProto floatModel, IEnumerable<DenseTensor<float>> inputs, int threads,
        CancellationToken cancel = default)
    {
        var model = floatModel.Clone();
        var graph = model.Graph;
        string inputName = graph.Input.Single().Name;
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var n in graph.Node)
            foreach (string o in n.Output)
                if (outputs.Add(o))
                    graph.Output.Add(new ValueInfoProto
                    {
                        Name = o,
                        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.Float } },
                    });
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var ranges = new Dictionary<string, ValueRange>(StringComparer.Ordinal);
        void Add(string name, ReadOnlySpan<float> values)
        {
            if (values.IsEmpty) return;
            var r = new ValueRange(TensorPrimitives.Min(values), TensorPrimitives.Max(values));
            ranges[name] = ranges.TryGetValue(name, out var old) ? old.Include(r) : r;
        }
        int batches = 0;
        foreach (var input in inputs)
        {
            cancel.ThrowIfCancellationRequested();
            Add(inputName, input.Buffer.Span);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)]);
            foreach (var r in results)
                if (r.Value is DenseTensor<float> t) Add(r.Name, t.Buffer.Span);
            batches++;
        }
        if (batches == 0) throw new ArgumentException("no calibration images");
        return ranges;
    }
}
