using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Models;
using MLPipelines.Training.MLNet;
using MLPipelines.Training.Onnx.Preparation;
using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Training.Onnx;

/// <summary>What <see cref="ModelOnnxExport.Export"/> wrote.</summary>
public sealed record ModelOnnxExportResult(ModelProto Model, string SourcePath, DigitNetOptions NetworkOptions, string? Preparation, int Canvas);

/// <summary>
/// <c>mlp export onnx</c>: the digit network a model names as one ONNX file for any runtime. A model .zip whose
/// preparation has an ONNX form is exported whole: RGBA bytes of the picture fitted into the canvas in (what a
/// browser canvas gives), Probabilities and PredictedIndex out, the class names in the metadata (mlp.classes).
/// A run folder or checkpoint, or <c>pixelsOnly</c>, gives the network alone (28x28 prepared pixels in).
/// </summary>
public static class ModelOnnxExport
{
    public static ModelOnnxExportResult Export(string model, string output, bool pixelsOnly = false)
    {
        var (net, source) = DigitNetFiles.Load(model);
        using (net)
        {
            ModelMetadata? metadata = source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? ModelPackage.ReadMetadata(source) : null;
            CanvasPreparation? preparation = !pixelsOnly && metadata is not null && NetworkModel.PreparesInModel(metadata.Preprocessing)
                ? CanvasPreparation.ForRgbaBytes(metadata.Preprocessing, metadata.Canvas > 0 ? metadata.Canvas : CanvasPreparation.DefaultSize)
                : null;
            var onnx = DigitNetOnnxExporter.Save(net, output, Normalization.Mnist, preparation, metadata?.Classes);
            return new ModelOnnxExportResult(onnx, source, net.Options, preparation?.Preprocessor, preparation?.Size ?? 0);
        }
    }
}
