using System.Text.Json.Serialization;

namespace MLPipelines.Core.Metrics;

/// <summary>Precision, recall and F1 of one class, and how many rows truly belong to it (support).</summary>
public sealed record ClassMetrics(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("support")] long Support,
    [property: JsonPropertyName("predicted")] long Predicted);

/// <summary>
/// Accumulates (true label, predicted label) pairs and gives accuracy, per-class precision / recall / F1 and
/// the confusion matrix. Labels are the model's classes, then any other true label met (a manifest may hold
/// labels the model does not know; they count as mistakes). Undefined ratios (no rows predicted or labelled
/// as a class) are 0, as scikit-learn reports them. Not thread-safe: the scorer adds rows in order.
/// </summary>
public sealed class ClassificationMetrics
{
    private readonly List<string> labels;
    private readonly Dictionary<string, int> index;
    private readonly List<List<long>> counts = [];

    public ClassificationMetrics(IReadOnlyList<string> classes)
    {
        labels = [];
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string c in classes) IndexOf(c);
    }

    /// <summary>The rows' labels: the model's classes first, then unknown labels in the order met.</summary>
    public IReadOnlyList<string> Labels => labels;
    public long Total { get; private set; }
    public long Correct { get; private set; }
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    public void Add(string actual, string predicted)
    {
        int a = IndexOf(actual), p = IndexOf(predicted);
        counts[a][p]++;
        Total++;
        if (a == p) Correct++;
    }

    /// <summary>Rows: true label; columns: predicted label; both in the order of <see cref="Labels"/>.</summary>
    public long[][] ConfusionMatrix() => counts.Select(row => Enumerable.Range(0, labels.Count).Select(j => j < row.Count ? row[j] : 0).ToArray()).ToArray();

    public IReadOnlyList<ClassMetrics> PerClass()
    {
        var m = ConfusionMatrix();
        var result = new List<ClassMetrics>(labels.Count);
        for (int c = 0; c < labels.Count; c++)
        {
            long tp = m[c][c], support = m[c].Sum(), predicted = m.Sum(row => row[c]);
            double precision = predicted == 0 ? 0 : (double)tp / predicted;
            double recall = support == 0 ? 0 : (double)tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result.Add(new ClassMetrics(labels[c], precision, recall, f1, support, predicted));
        }
        return result;
    }

    /// <summary>Mean F1 over the labels that occur as true labels.</summary>
    public double MacroF1
    {
        get
        {
            var present = PerClass().Where(c => c.Support > 0).ToList();
            return present.Count == 0 ? 0 : present.Average(c => c.F1);
        }
    }

    private int IndexOf(string label)
    {
        if (index.TryGetValue(label, out int i)) return i;
        i = labels.Count;
        labels.Add(label);
        index[label] = i;
        counts.Add([]);
        foreach (var row in counts)
            while (row.Count < labels.Count) row.Add(0);
        return i;
    }
}
