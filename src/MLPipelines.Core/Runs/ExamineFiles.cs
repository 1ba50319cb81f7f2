using System.Text.Json.Serialization;

namespace MLPipelines.Core.Runs;

/// <summary>The figures <c>mlp examine</c> writes into a digit run's figures/ folder, numbered as in the assignment.</summary>
public static class FigureFiles
{
    public const string TrainingDigits = "1_training_digits.png";
    public const string NetworkSummary = "2_network_summary.png";
    public const string LossCurves = "3_loss_curves.png";
    public const string TestPredictions = "4_test_predictions.png";
    public const string Handwritten = "6_handwritten_digits.png";
    public const string Filters = "7_conv1_filters.png";
    public const string FilterEffects = "8_filter_effects.png";
    public const string ConfusionMatrix = "9_confusion_matrix.png";
    public const string ConfidentMistakes = "9_confident_mistakes.png";

    /// <summary>Data beside the figures, for the report's tables.</summary>
    public const string NetworkSummaryJson = "network_summary.json";
    public const string FiltersJson = "conv1_filters.json";
    public const string HandwrittenJson = "handwritten.json";

    /// <summary>The figures examine always makes (the handwritten one needs its own data and model).</summary>
    public static readonly string[] Examine =
        [TrainingDigits, NetworkSummary, LossCurves, TestPredictions, Filters, FilterEffects, ConfusionMatrix, ConfidentMistakes];
}

/// <summary>A layer of the network summary table.</summary>
public sealed record NetworkLayer(string Name, string Type, string OutputShape, long Parameters, long Trainable);

/// <summary>network_summary.json: the torchinfo-style table as data.</summary>
public sealed record NetworkSummaryData(
    string Model,
    [property: JsonPropertyName("input_shape")] string InputShape,
    [property: JsonPropertyName("output_shape")] string OutputShape,
    IReadOnlyList<NetworkLayer> Layers,
    long Total,
    long Trainable,
    [property: JsonPropertyName("non_trainable")] long NonTrainable);

/// <summary>conv1_filters.json: the first layer's weights [filter][row][col] and biases.</summary>
public sealed record FilterWeights(string Layer, float[][][] Filters, float[] Bias)
{
    public int Count => Filters.Length;

    public float[,] Matrix(int filter)
    {
        var rows = Filters[filter];
        var m = new float[rows.Length, rows[0].Length];
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < rows[r].Length; c++) m[r, c] = rows[r][c];
        return m;
    }

    public IReadOnlyList<float[,]> Matrices() => Enumerable.Range(0, Count).Select(Matrix).ToList();

    /// <summary>The largest absolute weight: the bound of the one colour scale all filters share.</summary>
    public float Limit() => Filters.SelectMany(f => f).SelectMany(r => r).Select(Math.Abs).DefaultIfEmpty(0).Max();

    public static FilterWeights From(string layer, float[] weights, int filters, int size, float[] bias)
    {
        if (weights.Length != filters * size * size)
            throw new ArgumentException($"{weights.Length} weights do not make {filters} filters of {size}x{size}");
        var f = Enumerable.Range(0, filters).Select(k => Enumerable.Range(0, size)
            .Select(r => weights.AsSpan(k * size * size + r * size, size).ToArray()).ToArray()).ToArray();
        return new FilterWeights(layer, f, bias);
    }
}
