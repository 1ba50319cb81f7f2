using MLPipelines.Core.Metrics;
using System.Globalization;
using System.Text;

namespace MLPipelines.Training.Evaluation;

/// <summary>
/// How a classifier did on a labelled set: loss, accuracy, per-class accuracy, confusion matrix, each
/// example's prediction and confidence, and the raw outputs of the first few (the assignment's printout).
/// </summary>
public sealed class EvaluationResult
{
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required double Loss { get; init; }
    public required int[] Labels { get; init; }
    public required int[] Predictions { get; init; }
    /// <summary>Probability of the predicted class, per example.</summary>
    public required float[] Confidences { get; init; }
    /// <summary>The network's outputs (log-probabilities) for the first examples.</summary>
    public required float[][] FirstOutputs { get; init; }

    public int Count => Labels.Length;
    public int Correct => Labels.Where((l, i) => Predictions[i] == l).Count();
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>Rows: true class; columns: predicted class.</summary>
    public int[,] Confusion => ConfusionTable.Count(ClassNames.Count, Labels, Predictions);

    public double[] PerClassAccuracy
    {
        get
        {
            int k = ClassNames.Count;
            var total = new int[k];
            var right = new int[k];
            for (int i = 0; i < Count; i++)
            {
                total[Labels[i]]++;
                if (Predictions[i] == Labels[i]) right[Labels[i]]++;
            }
            return total.Select((t, c) => t == 0 ? double.NaN : (double)right[c] / t).ToArray();
        }
    }

    /// <summary>Indices of wrong predictions, most confident first.</summary>
    public IEnumerable<int> MostConfidentMistakes() =>
        Enumerable.Range(0, Count).Where(i => Predictions[i] != Labels[i]).OrderByDescending(i => Confidences[i]);

    /// <summary>The assignment's printout: each output to 2 decimals, the index of the largest, the correct label.</summary>
    public string FirstOutputsText()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < FirstOutputs.Length; i++)
        {
            var row = FirstOutputs[i];
            string values = string.Join(", ", row.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));
            sb.Append(CultureInfo.InvariantCulture, $"[{values}]  max index {Predictions[i]}  correct label {Labels[i]}\n");
        }
        return sb.ToString();
    }

    public string ConfusionText() => ConfusionTable.ToText(ClassNames, Confusion);

    /// <summary>What the assignment prints after testing: loss and accuracy, training time, per-class accuracy, confusion matrix, first outputs.</summary>
    public string ReportText(IReadOnlyList<double> epochSeconds, int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("\n");
        sb.Append(inv, $"Test set: average loss {Loss:F4}, accuracy {Correct}/{Count} ({Accuracy:P2})\n");
        if (epochSeconds.Count > 0)
            sb.Append(inv, $"Training: {epochSeconds.Count} epochs, {epochSeconds.Sum():F1} s ({epochSeconds.Average():F2} s/epoch, {threads} threads)\n");
        sb.Append("Per-class accuracy: ").Append(string.Join("  ", PerClassAccuracy.Select((a, c) => string.Create(inv, $"{ClassNames[c]}:{a:P1}")))).Append('\n');
        sb.Append("Confusion matrix:\n").Append(ConfusionText());
        sb.Append(inv, $"First {FirstOutputs.Length} test examples (outputs, index of the largest, correct label):\n").Append(FirstOutputsText());
        return sb.ToString();
    }
}
