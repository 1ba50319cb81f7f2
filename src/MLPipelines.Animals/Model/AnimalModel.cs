using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Core.Models;
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
        ModelPackage.Save(ml, new TransformerChain<ITransformer>(parts), path, metadata);
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
