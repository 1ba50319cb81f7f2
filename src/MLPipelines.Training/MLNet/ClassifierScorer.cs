using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.MLNet;
using MLPipelines.Core.Models;
using MLPipelines.Training.Onnx;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// The ML.NET half of a trained network: ML.NET's own ONNX transformer over the exported graph, then the output
/// columns every model of this project has (<see cref="LabelFromScores"/>): Score (each class's probability) and
/// PredictedLabel (the class name, a string). Only ML.NET's own transformers, so a saved model loads in any app that
/// references ML.NET and its ONNX packages.
/// </summary>
public static class ClassifierScorer
{
    public static ITransformer Fit(MLCatalogs ml, byte[] onnx, string featureColumn, IReadOnlyList<string> classes, IDataView input)
    {
        var network = ml.Transforms.ApplyOnnxModel([OnnxClassifier.Probabilities], [featureColumn], new MemoryStream(onnx)).Fit(input);
        var labels = LabelFromScores.Fit(ml, network.Transform(input), OnnxClassifier.Probabilities, classes);
        return new TransformerChain<ITransformer>(network, labels);
    }

    /// <summary>
    /// The schema <see cref="Fit"/>'s transformer gives: the input's columns, Score (a float vector) and PredictedLabel
    /// (the label key's value type: text). Computed from the shapes by the public estimators that add columns of those
    /// kinds (ML.NET keeps SchemaShape's constructors to itself), with no network built.
    /// </summary>
    public static SchemaShape OutputSchema(MLCatalogs ml, SchemaShape input, string featureColumn, string labelKeyColumn)
    {
        var feature = input.FirstOrDefault(c => c.Name == featureColumn);
        if (feature.Name is null)
            throw new ArgumentException($"the input has no feature column '{featureColumn}'");
        if (feature.Kind == SchemaShape.Column.VectorKind.Scalar || feature.ItemType != NumberDataViewType.Single)
            throw new ArgumentException($"the feature column '{featureColumn}' must be a float vector (got {feature.ItemType} {feature.Kind})");
        return ml.Transforms.Concatenate(ModelSchema.Score, featureColumn)
            .Append(ml.Transforms.Conversion.MapKeyToValue(ModelSchema.PredictedLabel, labelKeyColumn))
            .GetOutputSchema(input);
    }
}
