using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Training.Onnx;
using MLPipelines.Training.Onnx.Preparation;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// The preparation a saved model does (<see cref="NetworkModel"/>), alone: the same ML.NET transforms and the same
/// ONNX graph, giving the 28x28 glyph. Training prepares its pictures with it, so training and prediction cannot
/// drift apart. Not thread-safe (one ML.NET engine).
/// </summary>
public sealed class ModelPreparation : IDisposable
{
    private readonly PredictionEngine<ImageInput, PreparedRow> engine;

    public ModelPreparation(string preprocessor, int canvas = CanvasPreparation.DefaultSize)
    {
        var preparation = new CanvasPreparation(preprocessor, canvas);
        var ml = new MLContext(seed: 1);
        var schema = ImageColumn.SchemaFor<ImageInput>(MnistStylePreprocessor.Size, MnistStylePreprocessor.Size);
        var images = ml.Data.LoadFromEnumerable(Array.Empty<ImageInput>(), schema);
        var onnx = OnnxModelFile.ToBytes(InkPreparationGraph.Export(preparation));
        var pipeline = ImagePipelines.Canvas(ml, preparation.Size)
            .Append(ml.Transforms.ApplyOnnxModel([InkPreparationGraph.PreparedOutput, InkPreparationGraph.InkFoundOutput],
                [ModelSchema.Canvas], new MemoryStream(onnx)))
            .Fit(images);
        engine = ml.Model.CreatePredictionEngine<ImageInput, PreparedRow>(pipeline, inputSchemaDefinition: schema);
    }

    /// <summary>The glyph the model's network is given for <paramref name="image"/> (consumed); no ink is an error.</summary>
    public GrayImage Prepare(MLImage image, string name = "image")
    {
        var row = engine.Predict(new ImageInput { Image = image });
        image.Dispose();
        if (row.InkFound.Length == 0 || row.InkFound[0] < 0.5f)
            throw new InvalidImageException($"{name}: no ink found: the image is blank or has too little contrast");
        return new GrayImage(MnistStylePreprocessor.Size, MnistStylePreprocessor.Size, row.Prepared);
    }

    /// <summary>A file decoded as <c>ImageClassifier</c> decodes it (within the default limits), then prepared.</summary>
    public GrayImage Prepare(string path)
    {
        using var bitmap = ImageDecoder.Decode(path);
        return Prepare(MLImages.From(bitmap), path);
    }

    public void Dispose() => engine.Dispose();

    private sealed class PreparedRow
    {
        [ColumnName(InkPreparationGraph.PreparedOutput)] public float[] Prepared { get; set; } = [];
        [ColumnName(InkPreparationGraph.InkFoundOutput)] public float[] InkFound { get; set; } = [];
    }
}
