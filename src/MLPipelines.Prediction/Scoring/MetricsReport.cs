using MLPipelines.Core.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLPipelines.Data.IO;

namespace MLPipelines.Prediction.Scoring;

/// <summary>The metrics of a scored manifest as JSON (the file beside the output) and as text (for consoles and logs).</summary>
public static class MetricsReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The content of the metrics file.</summary>
    public sealed record Document
    {
        [JsonPropertyName("model")] public required string Model { get; init; }
        [JsonPropertyName("manifest")] public required string Manifest { get; init; }
        [JsonPropertyName("rows")] public required long Rows { get; init; }
        [JsonPropertyName("errors")] public required long Errors { get; init; }
        /// <summary>Rows with a label and no error: what the figures below are over.</summary>
        [JsonPropertyName("evaluated")] public required long Evaluated { get; init; }
        [JsonPropertyName("correct")] public required long Correct { get; init; }
        [JsonPropertyName("accuracy")] public required double Accuracy { get; init; }
        [JsonPropertyName("macroF1")] public required double MacroF1 { get; init; }
        [JsonPropertyName("classes")] public required IReadOnlyList<ClassMetrics> Classes { get; init; }
        /// <summary>Row and column order of <see cref="Confusion"/>.</summary>
        [JsonPropertyName("labels")] public required IReadOnlyList<string> Labels { get; init; }
        /// <summary>Rows: true label; columns: predicted label.</summary>
        [JsonPropertyName("confusion")] public required long[][] Confusion { get; init; }
    }

    public static Document ToDocument(ScoreSummary summary, string model, string manifest)
    {
        var m = summary.Metrics ?? throw new ArgumentException("the summary has no metrics (no label column)");
        return new Document
        {
            Model = model,
            Manifest = manifest,
            Rows = summary.Rows,
            Errors = summary.Errors,
            Evaluated = m.Total,
            Correct = m.Correct,
            Accuracy = m.Accuracy,
            MacroF1 = m.MacroF1,
            Classes = m.PerClass(),
            Labels = m.Labels,
            Confusion = m.ConfusionMatrix(),
        };
    }

    public static void Write(string path, ScoreSummary summary, string model, string manifest) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(ToDocument(summary, model, manifest), Json) + "\n");

    public static Document Read(string path) =>
        JsonSerializer.Deserialize<Document>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty");

    /// <summary>Accuracy, a precision / recall / F1 table and the confusion matrix (rows: true label, columns: predicted).</summary>
    public static string ToText(ClassificationMetrics m)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(c, $"accuracy {m.Accuracy:P2} ({m.Correct} of {m.Total} labelled rows), macro F1 {m.MacroF1:F4}"));
        int w = Math.Max(5, m.Labels.Max(l => l.Length));
        sb.AppendLine($"{"class".PadRight(w)}  precision  recall      f1  support");
        foreach (var k in m.PerClass())
            sb.AppendLine(string.Create(c, $"{k.Label.PadRight(w)}  {k.Precision,9:F4}  {k.Recall,6:F4}  {k.F1,6:F4}  {k.Support,7}"));
        sb.AppendLine("confusion matrix (rows: true label, columns: predicted)");
        sb.Append(ConfusionTable.ToText(m.Labels, m.ConfusionMatrix()));
        return sb.ToString();
    }
}
