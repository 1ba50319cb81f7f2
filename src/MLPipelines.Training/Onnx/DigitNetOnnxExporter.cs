using MLPipelines.Core.Imaging;
using System.Globalization;
using MLPipelines.Models;
using MLPipelines.Training.Onnx.Preparation;
using MLPipelines.Training.Onnx.Proto;
using TorchSharp;
using TorchSharp.Modules;

namespace MLPipelines.Training.Onnx;

/// <summary>
/// A <see cref="DigitNet"/> (any kernel size or class count) as an ONNX model that takes raw pixels:
/// input <see cref="InputName"/> float32 [batch, H*W], grayscale 0..255 with bright ink on dark (MNIST's
/// convention); the graph normalizes them itself. Outputs <see cref="OnnxClassifier.Probabilities"/> and
/// <see cref="OnnxClassifier.LogProbabilities"/>, float32 [batch, classes]. Dropout2d is left out (identity
/// at inference), so the graph computes what the network computes in eval mode.
/// </summary>
public static class DigitNetOnnxExporter
{
    public const string InputName = "Pixels";
    private const long PoolSize = 2;

    public static ModelProto Export(DigitNet net, Normalization? normalization = null, CanvasPreparation? preparation = null,
        IReadOnlyList<string>? classes = null)
    {
        var norm = normalization ?? Normalization.Mnist;
        var o = net.Options;
        var layers = net.named_children().ToDictionary(c => c.name, c => c.module);
        var b = new OnnxGraphBuilder(nameof(DigitNet), preparation is null ? OnnxGraphBuilder.OpsetVersion : InkPreparationGraph.Opset);

        string x;
        if (preparation is { } p)
        {
            if (o.InputSize != MnistStylePreprocessor.Size)
                throw new ArgumentException($"the in-model preparation makes 28x28 glyphs; this network takes {o.InputSize}x{o.InputSize}");
            string canvas;
            if (p.RgbaBytes)
            {
                string rgba = b.AddInput(CanvasPreparation.InputName,
                    $"the picture fitted into a {p.Size}x{p.Size} canvas (aspect kept, centred, transparent around it), RGBA bytes, row-major",
                    Proto.TensorProto.Types.DataType.Uint8, 1, p.Size, p.Size, 4);
                canvas = b.AddNode("Transpose", [b.ToFloat(rgba)], hint: "planar", attributes: OnnxAttribute.Ints("perm", [0, 3, 1, 2]));
            }
            else
            {
                canvas = b.AddInput(CanvasPreparation.InputName,
                    $"the picture fitted into a {p.Size}x{p.Size} canvas, planar {p.Channels}, 0..255, transparent around it", 1, 4, p.Size, p.Size);
            }
            x = InkPreparationGraph.Add(b, canvas, p.Size, p.Size, p.Preprocessor, p.Channels);
            b.AddMetadata("mlp.preparation", p.Preprocessor);
        }
        else
        {
            x = b.AddInput(InputName, $"{o.InputSize}x{o.InputSize} grayscale pixels, row-major, 0..255, bright ink on dark",
                OnnxDim.Batch, o.InputSize * o.InputSize);
        }
        x = b.AddPixelNormalization(x, norm);
        x = b.AddReshape(x, [0, 1, o.InputSize, o.InputSize], "image");
        // The same order as DigitNet.forward: conv, pool, relu (twice), flatten, fc1, relu, fc2.
        x = b.AddRelu(b.AddMaxPool2d(b.AddConv2d(x, Layer<Conv2d>(layers, "conv1"), "conv1"), PoolSize, PoolSize, "pool1"), "relu1");
        x = b.AddRelu(b.AddMaxPool2d(b.AddConv2d(x, Layer<Conv2d>(layers, "conv2"), "conv2"), PoolSize, PoolSize, "pool2"), "relu2");
        x = b.AddFlatten(x);
        x = b.AddLinear(b.AddRelu(b.AddLinear(x, Layer<Linear>(layers, "fc1"), "fc1"), "relu3"), Layer<Linear>(layers, "fc2"), "fc2");
        if (preparation is not null)
        {
            // No ink (a blank picture): probabilities are NaN, which no class wins, rather than a confident guess.
            string found = b.Greater(b.Reshape(InkPreparationGraph.InkFoundOutput, 1, 1), b.AddScalar(0.5f));
            x = b.Where(found, x, b.AddScalar(float.NaN));
            b.AddOutput(InkPreparationGraph.InkFoundOutput, "1 when the picture holds ink, 0 when it is blank", 1);
        }
        OnnxClassifier.AddOutputs(b, x, o.Classes);

        b.AddMetadata("mlp.network", nameof(DigitNet));
        if (classes is not null) b.AddMetadata("mlp.classes", System.Text.Json.JsonSerializer.Serialize(classes));
        b.AddMetadata("mlp.options", System.Text.Json.JsonSerializer.Serialize(o));
        b.AddMetadata("mlp.normalization", string.Create(CultureInfo.InvariantCulture, $"mean={norm.Mean} std={norm.Std}"));
        return b.Build($"DigitNet ({o.Classes} classes, kernel {o.KernelSize}) exported from TorchSharp by MLPipelines");
    }

    public static byte[] ToBytes(DigitNet net, Normalization? normalization = null, CanvasPreparation? preparation = null,
        IReadOnlyList<string>? classes = null) =>
        OnnxModelFile.ToBytes(Export(net, normalization, preparation, classes));

    public static void Write(DigitNet net, Stream stream, Normalization? normalization = null) =>
        OnnxModelFile.Write(Export(net, normalization), stream);

    /// <summary>Saves atomically (temporary file, then rename) and returns the model written.</summary>
    public static ModelProto Save(DigitNet net, string path, Normalization? normalization = null, CanvasPreparation? preparation = null,
        IReadOnlyList<string>? classes = null)
    {
        var model = Export(net, normalization, preparation, classes);
        OnnxModelFile.Save(model, path);
        return model;
    }

    // DigitNet's layers by their state_dict names (conv1, conv2, fc1, fc2), the names the assignment fixes.
    private static T Layer<T>(Dictionary<string, torch.nn.Module> layers, string name) where T : torch.nn.Module =>
        layers.TryGetValue(name, out var m) && m is T layer ? layer
            : throw new InvalidOperationException($"DigitNet has no {typeof(T).Name} named {name}");
}
