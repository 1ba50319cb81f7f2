using System.Globalization;
using System.Text.Json;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figure 3: the loss curves, the options and timings of training, and the test result per epoch.</summary>
public sealed class TrainingSection : DigitSection
{
    public override string Id => "digits-training";
    public override string Title => "3. Training";
    public override int Order => 120;

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        var options = run.Options();
        var evaluation = run.Evaluation();
        if (options.TryGetProperty("CommandLine", out var cmd))
        {
            html.Paragraph("Trained by:");
            html.Command(cmd.GetString() ?? "");
        }
        if (options.TryGetProperty("Training", out var training)) html.KeyValues(Hyperparameters(training), perRow: 4);
        var metrics = run.TestMetrics();
        var epochs = metrics.Where(m => m.Epoch > 0).ToList();
        html.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{epochs.Count} epoch{(epochs.Count == 1 ? "" : "s")} in {HtmlDocument.Seconds(evaluation.TrainSeconds ?? epochs.Sum(e => e.EpochSeconds))} of training " +
            $"({evaluation.Threads} threads); final test loss {evaluation.Loss:0.0000}, accuracy {HtmlDocument.Percent(evaluation.Accuracy)} " +
            $"({evaluation.Correct} of {evaluation.Count})."));
        Figure(html, run, FigureFiles.LossCurves, "Figure 3. Train loss (every N batches) and test loss (each epoch) against training examples seen");
        html.Table(["epoch", "examples seen", "test loss", "test accuracy", "epoch time"], metrics.Select(m => new[]
        {
            m.Epoch == 0 ? "0 (before training)" : m.Epoch.ToString(CultureInfo.InvariantCulture),
            m.ExamplesSeen.ToString("N0", CultureInfo.InvariantCulture),
            m.Loss.ToString("0.0000", CultureInfo.InvariantCulture),
            HtmlDocument.Percent(m.Accuracy),
            m.Epoch == 0 ? "" : HtmlDocument.Seconds(m.EpochSeconds),
        }));
    }

    private static IEnumerable<(string, string)> Hyperparameters(JsonElement training)
    {
        foreach (var p in training.EnumerateObject())
            yield return (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText());
    }
}
