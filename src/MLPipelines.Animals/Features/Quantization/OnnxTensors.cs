using System.Runtime.InteropServices;
using Google.Protobuf;
using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Animals.Features.Quantization;

/// <summary>Reads and writes ONNX initializers (TensorProto) of the element types quantization needs.</summary>
internal static class OnnxTensors
{
    public const int Float = 1, UInt8 = 2, Int8 = 3, Int32 = 6;

    public static float[] Floats(TensorProto t)
    {
        if (t.DataType != Float) throw new NotSupportedException($"initializer {t.Name} is not float32 (type {t.DataType})");
        if (t.FloatData.Count > 0) return t.FloatData.ToArray();
        return MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
    }

    public static TensorProto Of(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Raw(name, Float, MemoryMarshal.AsBytes(values), dims);

    public static TensorProto Of(string name, ReadOnlySpan<sbyte> values, params long[] dims) =>
        Raw(name, Int8, MemoryMarshal.AsBytes(values), dims);

    public static TensorProto Of(string name, ReadOnlySpan<byte> values, params long[] dims) =>
        Raw(name, UInt8, values, dims);

    public static TensorProto Of(string name, ReadOnlySpan<int> values, params long[] dims) =>
        Raw(name, Int32, MemoryMarshal.AsBytes(values), dims);

    private static TensorProto Raw(string name, int type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian");
        var t = new TensorProto { Name = name, DataType = type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }
}
