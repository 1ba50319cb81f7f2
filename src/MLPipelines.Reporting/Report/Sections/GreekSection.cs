using System.Globalization;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>
/// Transfer learning to Greek letters (<c>mlp all</c>'s greek stage): the summaries before and after replacing the
/// last layer, each approach's training curve, test accuracy per style and class, and its grid of test letters.
/// </summary>
public sealed class GreekSection : IReportSection
{
    public string Id => "greek";
    public string Title => "Greek letters: transfer learning";
    public int Order => 200;

    public bool AppliesTo(ReportContext context) => GreekRunFiles.Find(context.RunFolder).Count > 0;

    public void Write(ReportContext context, HtmlDocument html)
    {
        var approaches = GreekRunFiles.Find(context.RunFolder);
        var first = approaches[0];
        var training = first.Training();
        html.Paragraph($"The trained digit network, frozen, with its last layer replaced by one of {training.Classes.Count} outputs " +
                       $"({string.Join(", ", training.Classes)}), trained on {training.TrainImages} handwritten letters and tested on letters by other " +
                       "people (the style is the file name's prefix). Each letter goes through the assignment's transform (grayscale, scale by 36/128, " +
                       "centre crop 28x28, invert) after being brought to the course's geometry: transparency onto white, light or dark background, " +
                       "the letter framed at any size and position, thin strokes thickened.");
        if (first.Text("summary_before.txt") is { } before)
        {
            html.Paragraph($"The digit network with every weight frozen ({N(training.Parameters.Before.Total)} parameters, {N(training.Parameters.Before.Trainable)} trainable):");
            html.Pre(before);
        }
        if (first.Text("summary_after.txt") is { } after)
        {
            html.Paragraph($"With the new last layer ({first.Name}): {N(training.Parameters.After.Total)} parameters, " +
                           $"{N(training.Parameters.After.Trainable)} trainable, {N(training.Parameters.After.NonTrainable)} non-trainable:");
            html.Pre(after);
        }

        var rows = approaches.Select(a => (Run: a, Training: a.Training(), Evaluation: a.Evaluation())).ToList();
        var styles = rows.SelectMany(r => r.Evaluation?.PerStyle ?? []).Select(s => s.Style ?? "").Distinct().Order(StringComparer.Ordinal).ToList();
        html.Table(new[] { "approach", "trained", "epochs", "training time", "training accuracy", "test accuracy" }.Concat(styles),
            rows.Select(r => new[]
            {
                r.Run.Name,
                Describe(r.Training),
                r.Training.Epochs.ToString(CultureInfo.InvariantCulture) + (r.Training.StoppedEarly ? " (stopped when learnt)" : ""),
                HtmlDocument.Seconds(r.Training.TrainSeconds),
                HtmlDocument.Percent(r.Training.TrainAccuracy),
                r.Evaluation is { } e ? $"{e.Correct} of {e.Count} ({HtmlDocument.Percent(e.Accuracy)})" : "not tested",
            }.Concat(styles.Select(s => r.Evaluation?.PerStyle.FirstOrDefault(g => g.Style == s) is { } g ? $"{g.Correct} of {g.Count}" : ""))));

        foreach (var (run, t, evaluation) in rows)
        {
            html.Heading($"{run.Name}: {Describe(t)}");
            if (run.CommandLine() is { } command) html.Command(command);
            if (evaluation is not null)
                html.Paragraph("Per class: " + string.Join(", ", evaluation.PerClass.Select(g => $"{g.Class} {g.Correct} of {g.Count}")) + ".");
            html.Figure(run.File("training_curve.png"), $"{run.Name}: training loss and accuracy per epoch");
            html.Figure(run.File("test_letters.png"), $"{run.Name}: test letters with the model's predictions (misses in red), by style");
        }
        html.Figure(first.File("training_letters.png"), "The training letters and the 28x28 images the network learns from");
    }

    private static string Describe(GreekTraining t) =>
        (t.FineTune == "none" ? "last layer only (frozen features)" : $"last layer and {t.FineTune}") +
        (t.Augment > 0 ? $", {t.TrainImages} letters + {t.Augment} augmented copies of each" : $", {t.TrainImages} letters");

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
