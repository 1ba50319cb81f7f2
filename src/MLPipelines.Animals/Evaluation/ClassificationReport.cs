using MLPipelines.Core.Metrics;
using System.Globalization;
using System.Text;

namespace MLPipelines.Animals.Evaluation;

/// <summary>How a classifier did on a labelled set: accuracy, per-class precision/recall, confusion, mistakes.</summary>
public sealed class ClassificationReport
{
    private ClassificationReport(IReadOnlyList<string> classNames, int[] labels, float[][] probabilities)
    {
        ClassNames = classNames;
        Labels = labels;
        Probabilities = probabilities;
        Predictions = probabilities.Select(ArgMax).ToArray();
        Confidences = probabilities.Select((p, i) => p[Predictions[i]]).ToArray();
    }

    public IReadOnlyList<string> ClassNames { get; }
    public int[] Labels { get; }
    public float[][] Probabilities { get; }
    public int[] Predictions { get; }
    public float[] Confidences { get; }

    public int Count => Labels.Length;
    public int Correct => Labels.Where((l, i) => Predictions[i] == l).Count();
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>Mean negative log of the probability given to the true class (clipped at 1e-15).</summary>
    public double LogLoss => Count == 0 ? 0 : Labels.Select((l, i) => -Math.Log(Math.Max(Probabilities[i][l], 1e-15))).Average();

    public static ClassificationReport From(IReadOnlyList<string> classNames, int[] labels, float[][] probabilities)
    {
        if (labels.Length != probabilities.Length) throw new ArgumentException("one probability vector per label expected");
        if (probabilities.Any(p => p.Length != classNames.Count)) throw new ArgumentException($"probability vectors must have {classNames.Count} entries");
        return new ClassificationReport(classNames, labels, probabilities);
    }

    /// <summary>Rows: true class; columns: predicted class.</summary>
    public int[,] Confusion => ConfusionTable.Count(ClassNames.Count, Labels, Predictions);

    public IReadOnlyList<ClassMetrics> PerClass
    {
        get
        {
            var m = Confusion;
            return ClassNames.Select((name, c) =>
            {
                int truePositive = m[c, c];
                int predicted = Enumerable.Range(0, ClassNames.Count).Sum(r => m[r, c]);
                int actual = Enumerable.Range(0, ClassNames.Count).Sum(p => m[c, p]);
                double precision = predicted == 0 ? 0 : (double)truePositive / predicted;
                double recall = actual == 0 ? 0 : (double)truePositive / actual;
                double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                return new ClassMetrics(name, precision, recall, f1, actual, predicted);
            }).ToList();
        }
    }

    public double MacroF1 => PerClass.Where(c => c.Support > 0).Select(c => c.F1).DefaultIfEmpty(0).Average();

    /// <summary>Indices of wrong predictions, most confident first.</summary>
    public IReadOnlyList<int> MostConfidentMistakes(int count) =>
        Enumerable.Range(0, Count).Where(i => Predictions[i] != Labels[i]).OrderByDescending(i => Confidences[i]).ThenBy(i => i).Take(count).ToList();

    public string PerClassText()
    {
        int width = Math.Max(8, ClassNames.Max(n => n.Length) + 2);
        var sb = new StringBuilder();
        sb.Append("class".PadRight(width)).Append("precision  recall      f1  support\n");
        foreach (var c in PerClass)
            sb.Append(CultureInfo.InvariantCulture, $"{c.Label.PadRight(width)}{c.Precision,9:P1}{c.Recall,8:P1}{c.F1,8:F3}{c.Support,9}\n");
        return sb.ToString();
    }

    public string ConfusionText() => ConfusionTable.ToText(ClassNames, Confusion);

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
