using MLPipelines.Core.Runs;
using MLPipelines.Models;
using static TorchSharp.torch;

namespace MLPipelines.Training;

/// <summary>What the examine figures show of a digit network: its layers (a Keras-style summary) and its first-layer filters.</summary>
public static class DigitNetInspection
{
    /// <summary>Layers, output shapes and parameter counts for a batch of <paramref name="batchSize"/> images of the given size.</summary>
    public static NetworkSummaryData Summary(DigitNet model, int batchSize, int height, int width)
    {
        var s = ModelSummary.Of(model, batchSize, 1, height, width);
        return new NetworkSummaryData(s.ModelName, ModelSummary.Shape([batchSize, 1, height, width]), ModelSummary.Shape(s.OutputShape),
            s.Layers.Select(l => new NetworkLayer(l.Name, l.Type, ModelSummary.Shape(l.OutputShape), l.Parameters, l.Trainable)).ToList(),
            s.TotalParameters, s.TrainableParameters, s.NonTrainableParameters);
    }

    /// <summary>conv1's weights and biases. An <see cref="InvalidDataException"/> when they are not square single-channel filters.</summary>
    public static FilterWeights Filters(DigitNet model)
    {
        using var _ = no_grad();
        var weight = model.Conv1.weight!;
        int count = (int)weight.shape[0], size = (int)weight.shape[2];
        if (weight.shape[1] != 1 || weight.shape[3] != size)
            throw new InvalidDataException($"conv1 weights of shape [{string.Join(", ", weight.shape)}] are not square single-channel filters");
        float[] w = weight.contiguous().data<float>().ToArray();
        float[] bias = model.Conv1.bias is { } b ? b.data<float>().ToArray() : new float[count];
        return FilterWeights.From("conv1", w, count, size, bias);
    }
}
