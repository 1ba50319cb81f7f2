using System.Globalization;
using System.Text;
using MLPipelines.Animals.Figures;
using MLPipelines.Animals.Report;
using MLPipelines.Animals.Training;
using MLPipelines.Core.Runs;

namespace MLPipelines.Animals.Evaluation;

/// <summary>The heads of one run side by side: heads.csv, a chart per split, and the table as text.</summary>
public static class HeadComparison
{
    public static string Write(RunFolder run, string setName, IReadOnlyList<HeadResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder("head comparison (same features, same split):\nhead    validation        test  macro-F1  train s\n");
        foreach (var h in results)
        {
            var eval = h.Test ?? h.Validation;
            text.Append(string.Create(inv, $"{h.Name,-6}{(h.Validation is null ? "-" : h.Validation.Accuracy.ToString("P2", inv)),12}{(h.Test is null ? "-" : h.Test.Accuracy.ToString("P2", inv)),12}{eval?.MacroF1,10:F3}{h.TrainSeconds,9:F1}\n"));
        }
        new AnimalsRunFiles(run.Path).WriteHeads(results.Select(h =>
        {
            var eval = h.Test ?? h.Validation;
            return new HeadRow(h.Name, h.Validation?.Accuracy, h.Test?.Accuracy, eval?.MacroF1, eval?.LogLoss, h.TrainSeconds, h.Description);
        }));
        var series = new List<(string, double[])>();
        if (results.Any(r => r.Validation is not null)) series.Add(("validation", results.Select(r => 100 * (r.Validation?.Accuracy ?? 0)).ToArray()));
        if (results.Any(r => r.Test is not null)) series.Add(("test", results.Select(r => 100 * (r.Test?.Accuracy ?? 0)).ToArray()));
        // Grouped rather than stacked: one chart per split keeps the bars comparable.
        foreach (var (name, values) in series)
            Charts.StackedBars(run.File($"heads_{name}.png"), $"{setName}: {name} accuracy per head (%)", "accuracy (%)", results.Select(r => r.Name).ToList(), [(name, values)], "{0:F1}");
        return text.ToString().TrimEnd();
    }
}
