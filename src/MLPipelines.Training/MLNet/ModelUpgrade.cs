using MLPipelines.Core.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.MLNet;
using MLPipelines.Core.Models;
using MLPipelines.Training.Onnx;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// Re-saves a model made by the CNN trainer in the current model format (<see cref="ModelMetadata.CurrentFormat"/>)
/// from the TorchSharp network it carries: the same weights, the same image transforms, the same metadata, so the
/// predictions are the same; only the format changes (format 2: the ImagePath input schema, a string PredictedLabel).
/// </summary>
public static class ModelUpgrade
{
    /// <summary>Writes <paramref name="path"/> re-saved to <paramref name="output"/>; false (nothing written) when it is already current.</summary>
    public static bool Run(string path, string output)
    {
        var metadata = ModelPackage.ReadMetadata(path);
        if (metadata.Format >= ModelMetadata.CurrentFormat) return false;
        using var network = TorchWeights.Load(path);
        if (network.Options.Classes != metadata.Classes.Count)
            throw new InvalidModelException($"{path}: its network has {network.Options.Classes} outputs but its metadata {metadata.Classes.Count} classes");
        var ml = new MLContext(seed: 1);
        var images = ml.Data.LoadFromEnumerable(Array.Empty<ImageInput>(), ImageColumn.SchemaFor<ImageInput>(metadata.Width, metadata.Height));
        var pixels = ImagePipelines.GrayscalePixels(ml, metadata.Width, metadata.Height).Fit(images);
        byte[] onnx = DigitNetOnnxExporter.ToBytes(network, Normalization.Mnist);
        var scorer = ClassifierScorer.Fit(MLCatalogs.Of(ml), onnx, ModelSchema.Pixels, metadata.Classes, pixels.Transform(images));
        var model = new TransformerChain<ITransformer>([.. (IEnumerable<ITransformer>)pixels, scorer]);
        ModelPackage.Save(ml, model, output, metadata with { Format = ModelMetadata.CurrentFormat }, TorchWeights.Entries(network));
        return true;
    }
}
