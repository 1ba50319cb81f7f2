using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Prediction.Models;

namespace MLPipelines.Animals.Model;

/// <summary>
/// Saves an animals model in the project's model format: one ML.NET .zip holding the whole pipeline (image ->
/// ResNet18 features -> head -> Score, PredictedLabel), both ONNX models inside, and the MLPipelines/model.json
/// entry with the class names. <see cref="MLPipelines.Prediction.ImageClassifier"/> loads and predicts it like
/// every other model of the project; loading needs ML.NET, ImageAnalytics and OnnxTransformer only.
/// </summary>
public static class AnimalModel
{
    public const string Kind = "animals";

    public static void Save(MLContext ml, ITransformer backbone, IEnumerable<ITransformer> head, ModelMetadata metadata, string path)
    {
        var parts = (backbone is IEnumerable<ITransformer> chain ? chain : [backbone]).Concat(head).ToArray();
        ModelPackage.Save(ml, new TransformerChain<ITransformer>(parts), inputSchema: null, path, metadata);
    }

    /// <summary>
    /// Class probabilities (in <see cref="ModelMetadata.Classes"/> order) of image files, from a saved model: ML.NET
    /// loads the images (LoadImages, the same SkiaSharp decode) into the model's Image column, then runs it.
    /// Unreadable files give null.
    /// </summary>
    public static float[]?[] PredictFiles(string modelPath, IReadOnlyList<string> files, MLContext? ml = null)
    {
        ml ??= new MLContext();
        ModelPackage.ReadMetadata(modelPath);
        var model = ml.Model.Load(modelPath, out _);
        var readable = files.Select(f => Features.ImagePreprocessorProbe.Decodes(f)).ToArray();
        var rows = ml.Data.LoadFromEnumerable(files.Where((_, i) => readable[i]).Select(f => new FileRow { ImagePath = Path.GetFullPath(f) }));
        var images = ml.Transforms.LoadImages(BackbonePipeline.Image, imageFolder: "", inputColumnName: nameof(FileRow.ImagePath)).Fit(rows).Transform(rows);
        var scores = model.Transform(images).GetColumn<float[]>(ModelSchema.Score).ToList();
        var result = new float[]?[files.Count];
        for (int i = 0, k = 0; i < files.Count; i++) result[i] = readable[i] ? scores[k++] : null;
        return result;
    }

    private sealed class FileRow
    {
        public string ImagePath { get; set; } = "";
    }

    /// <summary>The metadata of an animals model: 224x224 colour photos as they are (the pipeline resizes).</summary>
    public static ModelMetadata Metadata(IReadOnlyList<string> classes, string description, string? trainedWith, IReadOnlyDictionary<string, double>? metrics) => new()
    {
        Kind = Kind,
        Classes = classes,
        Width = ResNet18Files.ImageSize,
        Height = ResNet18Files.ImageSize,
        Preprocessing = "none",
        Description = description,
        TrainedWith = trainedWith,
        Metrics = metrics,
    };
}
