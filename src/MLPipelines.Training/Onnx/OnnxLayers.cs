using MLPipelines.Core.Imaging;
using MLPipelines.Training.Onnx.Proto;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Training.Onnx;

/// <summary>
/// TorchSharp layers as ONNX nodes, in inference form. Each takes the name of its input value and returns its
/// output's; weights become initializers named like the state_dict (<c>fc1.weight</c>, <c>fc1.bias</c>).
/// </summary>
public static class OnnxLayers
{
    /// <summary>y = x W^T + b as one Gemm (W is stored as PyTorch keeps it, [out, in], hence transB).</summary>
    public static string AddLinear(this OnnxGraphBuilder b, string x, Linear linear, string name)
    {
        var inputs = new List<string> { x, b.AddInitializer(name + ".weight", linear.weight!) };
        if (linear.bias is not null) inputs.Add(b.AddInitializer(name + ".bias", linear.bias));
        return b.AddNode("Gemm", inputs, hint: name, attributes: OnnxAttribute.Int("transB", 1));
    }

    /// <summary>A 2-d convolution on [N, C, H, W] with the module's stride, padding, dilation and groups.</summary>
    public static string AddConv2d(this OnnxGraphBuilder b, string x, Conv2d conv, string name)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"{name}: padding mode {conv.padding_mode} has no ONNX Conv equivalent");
        var inputs = new List<string> { x, b.AddInitializer(name + ".weight", conv.weight!) };
        if (conv.bias is not null) inputs.Add(b.AddInitializer(name + ".bias", conv.bias));
        return b.AddNode("Conv", inputs, hint: name, attributes:
        [
            OnnxAttribute.Ints("kernel_shape", Pair(conv.kernel_size)),
            OnnxAttribute.Ints("strides", Pair(conv.stride)),
            OnnxAttribute.Ints("dilations", Pair(conv.dilation)),
            OnnxAttribute.Ints("pads", ConvPads(conv)),
            OnnxAttribute.Int("group", conv.groups),
        ]);
    }

    /// <summary>Max pooling in floor mode (PyTorch's default: a trailing odd row or column is dropped).</summary>
    public static string AddMaxPool2d(this OnnxGraphBuilder b, string x, long kernel, long stride, string name = "maxpool") =>
        b.AddNode("MaxPool", [x], hint: name, attributes:
        [
            OnnxAttribute.Ints("kernel_shape", [kernel, kernel]),
            OnnxAttribute.Ints("strides", [stride, stride]),
            OnnxAttribute.Int("ceil_mode", 0),
        ]);

    public static string AddMaxPool2d(this OnnxGraphBuilder b, string x, MaxPool2d pool, string name = "maxpool")
    {
        if (pool.padding is { } p && p.Any(v => v != 0) || pool.dilation is { } d && d.Any(v => v != 1))
            throw new NotSupportedException($"{name}: only unpadded, undilated max pooling is exported");
        long[] kernel = Pair(pool.kernel_size), stride = pool.stride is { Length: > 0 } s ? Pair(s) : kernel;
        return b.AddNode("MaxPool", [x], hint: name, attributes:
        [
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Int("ceil_mode", pool.ceil_mode ? 1 : 0),
        ]);
    }

    public static string AddRelu(this OnnxGraphBuilder b, string x, string name = "relu") => b.AddNode("Relu", [x], hint: name);

    /// <summary>[N, d1, d2, ...] → [N, d1*d2*...], row-major like <c>x.flatten(1)</c>.</summary>
    public static string AddFlatten(this OnnxGraphBuilder b, string x, string name = "flatten") =>
        b.AddNode("Flatten", [x], hint: name, attributes: OnnxAttribute.Int("axis", 1));

    /// <summary>Reshape to <paramref name="shape"/>; as in ONNX, 0 keeps the input's size there and -1 infers one size.</summary>
    public static string AddReshape(this OnnxGraphBuilder b, string x, long[] shape, string name = "reshape") =>
        b.AddNode("Reshape", [x, b.AddInitializer(b.FreeName(name + ".shape"), shape, shape.Length)], hint: name);

    /// <summary>
    /// Raw pixel values 0..255 to the network's input: x / 255, then (x - mean) / std, the same float32
    /// operations in the same order as <see cref="TensorDataset"/>, so the inputs match bit for bit.
    /// </summary>
    public static string AddPixelNormalization(this OnnxGraphBuilder b, string x, Normalization normalization)
    {
        string scaled = b.AddNode("Div", [x, b.AddScalar(255f)], hint: "scale");
        string centred = b.AddNode("Sub", [scaled, b.AddScalar(normalization.Mean)], hint: "centre");
        return b.AddNode("Div", [centred, b.AddScalar(normalization.Std)], hint: "normalize");
    }

    public static string AddSoftmax(this OnnxGraphBuilder b, string x, string? output = null, long axis = 1) =>
        b.AddNode("Softmax", [x], output, "softmax", OnnxAttribute.Int("axis", axis));

    public static string AddLogSoftmax(this OnnxGraphBuilder b, string x, string? output = null, long axis = 1) =>
        b.AddNode("LogSoftmax", [x], output, "log_softmax", OnnxAttribute.Int("axis", axis));

    /// <summary>
    /// Any supported module in inference form: Linear, Conv2d, MaxPool2d, ReLU, Flatten, LogSoftmax, Sequential
    /// (its layers in order); Dropout, Dropout2d and Identity add nothing (identity at inference).
    /// </summary>
    public static string AddModule(this OnnxGraphBuilder b, string x, nn.Module module, string name) => module switch
    {
        Linear linear => b.AddLinear(x, linear, name),
        Conv2d conv => b.AddConv2d(x, conv, name),
        MaxPool2d pool => b.AddMaxPool2d(x, pool, name),
        ReLU => b.AddRelu(x, name),
        Flatten { start_dim: 1, end_dim: -1 } => b.AddFlatten(x, name),
        LogSoftmax logSoftmax => b.AddLogSoftmax(x, axis: logSoftmax.dim),
        Dropout or Dropout2d or Identity => x,
        Sequential sequential => sequential.named_children()
            .Aggregate(x, (value, child) => b.AddModule(value, child.module, name.Length == 0 ? child.name : $"{name}.{child.name}")),
        _ => throw new NotSupportedException($"{name}: no ONNX export for {module.GetType().Name}"),
    };

    // TorchSharp gives one value when height and width share it.
    private static long[] Pair(long[] values) => values.Length == 1 ? [values[0], values[0]] : values;

    // ONNX pads are [top, left, bottom, right]. PyTorch's "same" puts the odd pixel at the end.
    private static long[] ConvPads(Conv2d conv)
    {
        if (conv.padding_type == Padding.Same)
        {
            long[] kernel = Pair(conv.kernel_size), dilation = Pair(conv.dilation);
            long totalH = dilation[0] * (kernel[0] - 1), totalW = dilation[1] * (kernel[1] - 1);
            return [totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2];
        }
        long[] p = conv.padding is { Length: > 0 } given ? Pair(given) : [0, 0];
        return [p[0], p[1], p[0], p[1]];
    }
}
