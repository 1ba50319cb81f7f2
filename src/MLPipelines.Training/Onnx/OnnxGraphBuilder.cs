using System.Runtime.InteropServices;
using Google.Protobuf;
using MLPipelines.Training.Onnx.Proto;
using static TorchSharp.torch;

namespace MLPipelines.Training.Onnx;

/// <summary>
/// Builds an ONNX model (opset 17 unless asked for another, IR version 8) node by node. Values are named by strings: each Add... method
/// returns the name of the value it produces, so layers compose by passing one's result to the next
/// (see <see cref="OnnxLayers"/> for TorchSharp modules). Inputs and outputs are float32.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const long OpsetVersion = 17;
    public const long IrVersion = 8;
    public const string ProducerName = "MLPipelines";

    private readonly GraphProto graph;
    private readonly List<StringStringEntryProto> metadata = [];
    private readonly HashSet<string> usedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<float, string> scalars = [];
    private readonly Dictionary<long, string> integers = [];

    public OnnxGraphBuilder(string graphName, long opsetVersion = OpsetVersion)
    {
        graph = new GraphProto { Name = graphName };
        Opset = opsetVersion;
    }

    /// <summary>The operator set the model declares (ONNX's default domain).</summary>
    public long Opset { get; }

    /// <summary>A graph input of element type <paramref name="type"/>; no shape for a subgraph's inputs whose shape varies.</summary>
    public string AddInput(string name, string? description, TensorProto.Types.DataType type, params OnnxDim[]? shape)
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, description, shape, type));
        return name;
    }

    /// <summary>
    /// Makes a value of an enclosing graph usable here (a Loop or If body reads its outer scope by name).
    /// </summary>
    public string UseOuter(string name)
    {
        usedNames.Add(name);
        return name;
    }

    /// <summary>The graph alone, for a Loop or If node's body.</summary>
    public GraphProto BuildGraph() => graph.Clone();

    /// <summary>A float32 graph input of the given shape.</summary>
    public string AddInput(string name, string? description, params OnnxDim[] shape)
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, description, shape));
        return name;
    }

    /// <summary>Declares the value <paramref name="name"/> (a node's output) a float32 graph output.</summary>
    public void AddOutput(string name, string? description, params OnnxDim[] shape) =>
        AddOutput(name, description, TensorProto.Types.DataType.Float, shape);

    /// <summary>Declares the value <paramref name="name"/> (a node's output) a graph output of element type <paramref name="type"/>.</summary>
    public void AddOutput(string name, string? description, TensorProto.Types.DataType type, params OnnxDim[]? shape)
    {
        if (!usedNames.Contains(name)) throw new ArgumentException($"no value named '{name}' in the graph");
        graph.Output.Add(ValueInfo(name, description, shape, type));
    }

    /// <summary>A float32 initializer with the tensor's shape and values (copied to the CPU, detached).</summary>
    public string AddInitializer(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        return AddInitializer(name, values, tensor.shape);
    }

    public string AddInitializer(string name, float[] values, params long[] dims) =>
        AddTensor(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public string AddInitializer(string name, long[] values, params long[] dims) =>
        AddTensor(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public string AddInitializer(string name, double[] values, params long[] dims) =>
        AddTensor(name, TensorProto.Types.DataType.Double, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    /// <summary>A bool scalar (rank 0) constant.</summary>
    public string AddBool(bool value) =>
        AddTensor(FreeName(value ? "true" : "false"), TensorProto.Types.DataType.Bool, [value ? (byte)1 : (byte)0], []);

    /// <summary>Keeps <paramref name="name"/> from being given to a value here (it names one in a subgraph).</summary>
    public void Reserve(string name) => Claim(name);

    /// <summary>A float32 scalar (rank 0) constant, shared by every node that uses the same value.</summary>
    public string AddScalar(float value)
    {
        if (scalars.TryGetValue(value, out var existing)) return existing;
        string name = AddInitializer(FreeName($"const_{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"), [value]);
        scalars[value] = name;
        return name;
    }

    /// <summary>An int64 scalar (rank 0) constant, shared like <see cref="AddScalar"/>.</summary>
    public string AddInt64(long value)
    {
        if (integers.TryGetValue(value, out var existing)) return existing;
        string name = AddInitializer(FreeName($"int_{value}"), new[] { value });
        integers[value] = name;
        return name;
    }

    /// <summary>
    /// Adds a node and returns its output's name: <paramref name="output"/> when given (a graph output's name),
    /// else a fresh name made from <paramref name="hint"/> or the operator.
    /// </summary>
    public string AddNode(string opType, IEnumerable<string> inputs, string? output = null, string? hint = null,
        params AttributeProto[] attributes)
    {
        var inputList = inputs.ToList();
        foreach (string input in inputList)
            // "" stands for an optional input left out.
            if (input.Length > 0 && !usedNames.Contains(input)) throw new ArgumentException($"{opType}: no value named '{input}' in the graph");
        string outputName = output ?? FreeName(hint ?? opType);
        Claim(outputName);
        // Node names live apart from value names: a node may share its output's name, which reads well in viewers.
        string nodeName = hint ?? opType;
        for (int n = 2; !nodeNames.Add(nodeName); n++) nodeName = $"{hint ?? opType}_{n}";
        var node = new NodeProto { OpType = opType, Name = nodeName };
        node.Input.AddRange(inputList);
        node.Output.Add(outputName);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outputName;
    }

    public void AddMetadata(string key, string value) => metadata.Add(new StringStringEntryProto { Key = key, Value = value });

    public ModelProto Build(string? docString = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph.Clone(),
        };
        if (docString is not null) model.DocString = docString;
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.AddRange(metadata.Select(m => m.Clone()));
        return model;
    }

    /// <summary>A value name not used yet in this graph: <paramref name="hint"/> itself when free, else hint_2, hint_3, ...</summary>
    public string FreeName(string hint)
    {
        string name = hint;
        for (int n = 2; usedNames.Contains(name); n++) name = $"{hint}_{n}";
        return name;
    }

    private string AddTensor(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, long[] dims)
    {
        Claim(name);
        // raw_data must be little-endian; every platform .NET and libtorch run on here is.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export needs a little-endian machine");
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    private void Claim(string name)
    {
        if (!usedNames.Add(name)) throw new ArgumentException($"the graph already has a value named '{name}'");
    }

    private static ValueInfoProto ValueInfo(string name, string? description, OnnxDim[]? shape,
        TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        var tensorShape = shape is null ? null : new TensorShapeProto();
        foreach (var d in shape ?? [])
            tensorShape!.Dim.Add(d.Param is not null
                ? new TensorShapeProto.Types.Dimension { DimParam = d.Param }
                : new TensorShapeProto.Types.Dimension { DimValue = d.Value ?? throw new ArgumentException("a dimension needs a size or a name") });
        var info = new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = tensorShape is null
                    ? new TypeProto.Types.Tensor { ElemType = (int)type }
                    : new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape },
            },
        };
        if (description is not null) info.DocString = description;
        return info;
    }
}
