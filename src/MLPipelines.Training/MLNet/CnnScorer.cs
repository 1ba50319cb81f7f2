using Microsoft.ML;
using MLPipelines.Core.Models;
using MLPipelines.Training.Onnx;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// The ML.NET half of a trained network: ML.NET's own ONNX transformer over the exported graph, then the
/// output columns every model of this project has (<see cref="ModelSchema"/>): Score (each class's
/// probability) and PredictedLabel (the class name, mapped from the graph's arg-max). Only ML.NET's own
/// transformers, so a saved model loads in any app that references ML.NET and its ONNX packages.
/// </summary>
public static class CnnScorer
{
    public static IEstimator<ITransformer> Create(MLContext ml, byte[] onnx, string featureColumn, IReadOnlyList<string> classes)
    {
        var lookup = classes.Select((name, i) => new KeyValuePair<long, string>(i, name));
        return ml.Transforms.ApplyOnnxModel(
                outputColumnNames: [OnnxClassifier.Probabilities, OnnxClassifier.PredictedIndex],
                inputColumnNames: [featureColumn],
                modelBytes: new MemoryStream(onnx))
            .Append(ml.Transforms.CopyColumns(ModelSchema.Score, OnnxClassifier.Probabilities))
            .Append(ml.Transforms.Conversion.MapValue(ModelSchema.PredictedLabel, lookup, OnnxClassifier.PredictedIndex))
            .Append(ml.Transforms.DropColumns(OnnxClassifier.Probabilities));
    }
}
