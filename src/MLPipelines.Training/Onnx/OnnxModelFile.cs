using Google.Protobuf;
using MLPipelines.Data.IO;
using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Training.Onnx;

/// <summary>Writes and reads .onnx files (a serialized ModelProto); saving is atomic.</summary>
public static class OnnxModelFile
{
    public const string Extension = ".onnx";

    public static byte[] ToBytes(ModelProto model) => model.ToByteArray();

    public static void Write(ModelProto model, Stream stream) => model.WriteTo(stream);

    /// <summary>Writes through a temporary file renamed into place: a failure never leaves half a model.</summary>
    public static void Save(ModelProto model, string path) => AtomicFile.Write(path, s => model.WriteTo(s));

    public static ModelProto Read(byte[] bytes) => ModelProto.Parser.ParseFrom(bytes);

    public static ModelProto Read(string path)
    {
        using var s = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(s);
    }

    /// <summary>"Pixels: float32 [batch, 784]": a graph input or output for people to read.</summary>
    public static string Describe(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null) return $"{value.Name}: (not a tensor)";
        string type = ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant();
        if (type is "float" or "double") type = type == "float" ? "float32" : "float64";
        var dims = tensor.Shape?.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "?",
        }) ?? [];
        return $"{value.Name}: {type} [{string.Join(", ", dims)}]";
    }
}
