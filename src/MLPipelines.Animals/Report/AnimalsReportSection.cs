using System.Globalization;
using MLPipelines.Reporting.Report;

namespace MLPipelines.Animals.Report;

/// <summary>
/// The report's animals section, from RUN/animals of an <c>mlp all</c> run: per photo set, the explore figures, the
/// heads compared, the saved model's accuracy, per-class precision and recall, confusion matrix, a grid of the
/// held-out photos with their predictions and the most confident mistakes; and the sets the stage left out, with why.
/// </summary>
public sealed class AnimalsReportSection : IReportSection
{
    public string Id => "animals";
    public string Title => "Animals: transfer learning from an ImageNet ResNet18";
    public int Order => 400;

    public bool AppliesTo(ReportContext context) => context.StageFolder(AnimalsStageFiles.StageName) is { } folder && Runs(folder).Count > 0;

    public void Write(ReportContext context, HtmlDocument html)
    {
        string folder = context.StageFolder(AnimalsStageFiles.StageName)!;
        html.Paragraph("A frozen ImageNet-pretrained ResNet18 (ONNX, from Microsoft.ML.DnnImageFeaturizer.ResNet18) turns each photo into 512 " +
                       "features, computed once and cached; heads are trained and compared on them (training photos also mirrored and zoomed), and the " +
                       "chosen head is saved with the backbone as one ML.NET model.zip that ImageClassifier loads.");
        foreach (var set in AnimalsStageFiles.Read(folder) ?? [])
            if (set.Status != AnimalSetOutcome.Trained)
                html.Note($"{set.Name}: {set.Status}{(set.Reason is null ? "" : " — " + set.Reason)}");
        foreach (var run in Runs(folder)) WriteRun(new AnimalsRunFiles(run), html);
    }

    /// <summary>The finished training runs in the stage's folder, in the order the stage trained them.</summary>
    private static IReadOnlyList<string> Runs(string stageFolder)
    {
        var recorded = AnimalsStageFiles.Read(stageFolder)?.Where(s => s.Folder is not null).Select(s => Path.Combine(stageFolder, s.Folder!)).ToList() ?? [];
        var present = Directory.GetDirectories(stageFolder).Order(StringComparer.Ordinal).Where(AnimalsStageFiles.IsTrainingRun);
        return recorded.Where(AnimalsStageFiles.IsTrainingRun).Concat(present.Where(p => !recorded.Contains(p))).ToList();
    }

    private static void WriteRun(AnimalsRunFiles run, HtmlDocument html)
    {
        var inv = CultureInfo.InvariantCulture;
        var evaluation = run.Evaluation();
        var options = run.Options();
        var timing = run.Timing();
        string name = Path.GetFileName(run.Folder);
        html.Heading($"{name}: {HtmlDocument.Percent(evaluation.Accuracy)} on {evaluation.Count} {evaluation.Split} photos");
        if (options?.CommandLine is { Length: > 0 } command) html.Command(command);
        if (run.SummaryTable() is { } summary) html.Pre(summary);
        html.Figure(run.File("class_distribution.png"), "Photos per class and split");
        html.Figure(run.File("samples.png"), "Random photos of each class: label, size, source");

        html.Heading($"{name}: heads compared on the same features");
        html.Table(["head", "validation accuracy", "test accuracy", "macro-F1", "log-loss", "training", "what"], run.Heads().Select(h => new[]
        {
            h.Head + (h.Head == options?.Save ? " (saved)" : ""), Percent(h.Validation), Percent(h.Test),
            h.MacroF1?.ToString("F3", inv) ?? "-", h.LogLoss?.ToString("F3", inv) ?? "-", HtmlDocument.Seconds(h.TrainSeconds), h.Description,
        }));
        html.Figure(run.File($"heads_{(evaluation.Split == "test" ? "test" : "validation")}.png"), $"Accuracy of each head on the {evaluation.Split} photos");

        html.Heading($"{name}: the saved model{(options is null ? "" : $" (head {options.Save})")} on the {evaluation.Split} photos");
        var facts = new List<(string, string)>
        {
            ("accuracy", $"{HtmlDocument.Percent(evaluation.Accuracy)} ({evaluation.Correct}/{evaluation.Count})"),
            ("macro-F1", evaluation.MacroF1.ToString("F3", inv)),
            ("log-loss", evaluation.LogLoss.ToString("F3", inv)),
        };
        if (timing is not null)
        {
            facts.Add(("features", timing.ImagesComputed > 0
                ? string.Create(inv, $"{timing.ImagesComputed:F0} feature vectors computed in {HtmlDocument.Seconds(timing.FeatureSeconds)} ({timing.MillisecondsPerImage:F1} ms/image on {timing.Device}); any others came from the feature cache")
                : "all from the feature cache"));
            facts.Add(("whole training", HtmlDocument.Seconds(timing.TotalSeconds)));
        }
        if (options is not null) facts.Add(("augmentation", options.Augment));
        html.KeyValues(facts);
        html.Table(["class", "precision", "recall", "F1", "photos"], evaluation.PerClass.Select(c => new[]
        {
            c.Label, HtmlDocument.Percent(c.Precision), HtmlDocument.Percent(c.Recall), c.F1.ToString("F3", inv), c.Support.ToString(inv),
        }));
        html.Paragraph("Confusion matrix (rows: true class, columns: predicted):");
        html.Table(["true \\ predicted", .. evaluation.Classes],
            evaluation.Classes.Select((c, r) => new[] { c }.Concat(evaluation.Confusion[r].Select(n => n.ToString(inv)))));
        html.Figure(run.File($"{evaluation.Split}_predictions.png"), $"{Capitalized(evaluation.Split)} photos: prediction (true label when wrong), probability, file");
        if (evaluation.Correct == evaluation.Count) html.Note($"No mistakes on the {evaluation.Split} photos.");
        else html.Figure(run.File("confident_mistakes.png"), "The most confident mistakes: prediction (true label), probability");
    }

    private static string Percent(double? v) => v is { } x ? HtmlDocument.Percent(x) : "-";
    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
