using System.Text;
using Google.Protobuf;

namespace MLPipelines.Animals.Features;

/// <summary>
/// Makes the batch dimension of an ONNX model symbolic. The ResNet18 of ML.NET's DnnImageFeaturizer package
/// (a CNTK export) declares its input and output as [1,3,224,224] and [1,512,1,1], so ONNX Runtime refuses a
/// batch of several images; its graph (Conv, BatchNorm, Relu, Pool, Add) works for any batch size. This
/// rewrites the protobuf at the wire level (no generated ONNX classes needed): the first dimension of every
/// graph input and output becomes "N", and the intermediate shape hints (value_info) are dropped.
/// </summary>
public static class OnnxBatchDimension
{
    // Field numbers of onnx.proto.
    private const int ModelGraph = 7;
    private const int GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;
    private const int ValueInfoType = 2, TypeTensor = 1, TensorShape = 2, ShapeDim = 1, DimParam = 2;

    public static byte[] MakeSymbolic(byte[] model, string name = "N")
    {
        bool found = false;
        var fields = Parse(model).Select(f =>
        {
            if (f.Number != ModelGraph || f.WireType != 2) return f;
            found = true;
            var graph = Parse(f.Bytes).Where(g => g.Number != GraphValueInfo)
                .Select(g => g.Number is GraphInput or GraphOutput && g.WireType == 2 ? g with { Bytes = PatchValueInfo(g.Bytes, name) } : g);
            return f with { Bytes = Write(graph) };
        }).ToList();
        if (!found) throw new InvalidDataException("not an ONNX model (no graph)");
        return Write(fields);
    }

    private static byte[] PatchValueInfo(byte[] valueInfo, string name) =>
        Patch(valueInfo, ValueInfoType, type => Patch(type, TypeTensor, tensor => Patch(tensor, TensorShape, shape =>
        {
            var dims = Parse(shape);
            int first = dims.FindIndex(d => d.Number == ShapeDim);
            if (first >= 0) dims[first] = dims[first] with { Bytes = Write([new Field(DimParam, 2, 0, Encoding.UTF8.GetBytes(name))]) };
            return Write(dims);
        })));

    private static byte[] Patch(byte[] message, int number, Func<byte[], byte[]> patch) =>
        Write(Parse(message).Select(f => f.Number == number && f.WireType == 2 ? f with { Bytes = patch(f.Bytes) } : f));

    private readonly record struct Field(int Number, int WireType, ulong Value, byte[] Bytes);

    private static List<Field> Parse(byte[] data)
    {
        var list = new List<Field>();
        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            int wire = (int)WireFormat.GetTagWireType(tag);
            list.Add(wire switch
            {
                0 => new Field(number, 0, input.ReadUInt64(), []),
                1 => new Field(number, 1, input.ReadFixed64(), []),
                2 => new Field(number, 2, 0, input.ReadBytes().ToByteArray()),
                5 => new Field(number, 5, input.ReadFixed32(), []),
                _ => throw new InvalidDataException($"unsupported protobuf wire type {wire}"),
            });
        }
        return list;
    }

    private static byte[] Write(IEnumerable<Field> fields)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var f in fields)
        {
            output.WriteTag(f.Number, (WireFormat.WireType)f.WireType);
            switch (f.WireType)
            {
                case 0: output.WriteUInt64(f.Value); break;
                case 1: output.WriteFixed64(f.Value); break;
                case 2: output.WriteBytes(ByteString.CopyFrom(f.Bytes)); break;
                case 5: output.WriteFixed32((uint)f.Value); break;
            }
        }
        output.Flush();
        return stream.ToArray();
    }
}
