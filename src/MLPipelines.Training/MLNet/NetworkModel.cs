using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.MLNet;
using MLPipelines.Core.Models;
using MLPipelines.Models;
using MLPipelines.Training.Onnx;
using MLPipelines.Training.Onnx.Preparation;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// The ML.NET pipeline a trained <see cref="DigitNet"/> is saved as (from the Image column on). When its metadata
/// names a preparation with an ONNX form (mnist-style digits, greek-letter letters) the model prepares any picture
/// itself: ResizeImages fits it into the canvas, ExtractPixels gives its ARGB, and one ONNX graph does the
/// preparation and the network (<see cref="InkPreparationGraph"/>), so ML.NET alone reads people's handwriting.
/// Otherwise (a data set of ready 28x28 images) the image is resized, made grayscale and handed to the network.
/// </summary>
public static class NetworkModel
{
    /// <summary>The preparations the graph has a form of.</summary>
    public static bool PreparesInModel(string preprocessing) =>
        preprocessing is "mnist-style" or GreekLetterPreprocessor.PreprocessorName;

    /// <summary>The pipeline and the metadata to save with it (its format and canvas set).</summary>
    public static (ITransformer Pipeline, ModelMetadata Metadata) Build(MLContext ml, DigitNet network, ModelMetadata metadata)
    {
        var images = ml.Data.LoadFromEnumerable(Array.Empty<ImageInput>(), ImageColumn.SchemaFor<ImageInput>(metadata.Width, metadata.Height));
        var catalogs = MLCatalogs.Of(ml);
        if (!PreparesInModel(metadata.Preprocessing))
        {
            var pixels = ImagePipelines.GrayscalePixels(ml, metadata.Width, metadata.Height).Fit(images);
            var plain = ClassifierScorer.Fit(catalogs, DigitNetOnnxExporter.ToBytes(network, Normalization.Mnist), ModelSchema.Pixels,
                metadata.Classes, pixels.Transform(images));
            return (new TransformerChain<ITransformer>([.. (IEnumerable<ITransformer>)pixels, plain]),
                metadata with { Format = ModelMetadata.CurrentFormat, Canvas = 0 });
        }
        var preparation = new CanvasPreparation(metadata.Preprocessing);
        var canvas = ImagePipelines.Canvas(ml, preparation.Size).Fit(images);
        byte[] onnx = DigitNetOnnxExporter.ToBytes(network, Normalization.Mnist, preparation);
        var scorer = ClassifierScorer.Fit(catalogs, onnx, ModelSchema.Canvas, metadata.Classes, canvas.Transform(images));
        return (new TransformerChain<ITransformer>([.. (IEnumerable<ITransformer>)canvas, scorer]),
            metadata with { Format = ModelMetadata.CurrentFormat, Canvas = preparation.Size });
    }

    /// <summary>
    /// Builds and saves the model .zip, the TorchSharp network inside (what later training continues from) and,
    /// for a model that prepares pictures itself, its portable ONNX (<see cref="ModelPackage.PortableOnnxEntry"/>).
    /// </summary>
    public static ModelMetadata Save(MLContext ml, DigitNet network, ModelMetadata metadata, string path)
    {
        var (pipeline, saved) = Build(ml, network, metadata);
        var entries = TorchWeights.Entries(network);
        if (saved.Canvas > 0)
            entries[ModelPackage.PortableOnnxEntry] = DigitNetOnnxExporter.ToBytes(network, Normalization.Mnist,
                CanvasPreparation.ForRgbaBytes(saved.Preprocessing, saved.Canvas), saved.Classes);
        ModelPackage.Save(ml, pipeline, path, saved, entries);
        return saved;
    }
}
