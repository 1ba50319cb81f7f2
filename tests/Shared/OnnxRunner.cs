using Microsoft.ML.OnnxRuntime;

namespace MLPipelines.Tests.Support;

/// <summary>Runs an ONNX model with ONNX Runtime on one float32 input; returns every output by name (int64 outputs as floats).</summary>
public sealed class OnnxRunner(byte[] model) : IDisposable
{
    public InferenceSession Session { get; } = new(model);

    public Dictionary<string, (float[] Values, long[] Shape)> Run(string input, float[] data, params long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var options = new RunOptions();
        var names = Session.OutputNames;
        using var outputs = Session.Run(options, [input], [value], names);
        return names.Zip(outputs).ToDictionary(
            p => p.First,
            p => (Values(p.Second), p.Second.GetTensorTypeAndShape().Shape));
    }

    private static float[] Values(OrtValue value) =>
        value.GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64
            ? value.GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v).ToArray()
            : value.GetTensorDataAsSpan<float>().ToArray();

    public void Dispose() => Session.Dispose();
}
