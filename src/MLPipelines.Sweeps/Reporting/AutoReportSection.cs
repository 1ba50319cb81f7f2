using System.Globalization;
using MLPipelines.Reporting.Report;
using MLPipelines.Sweeps.Auto;
using MLPipelines.Sweeps.Storage;

namespace MLPipelines.Sweeps.Reporting;

/// <summary>
/// The report of an <c>mlp auto train</c> run folder: what the data looked like and which approaches were searched,
/// the chosen model's test, the leaderboard, and each study's optimization history and parameter importances.
/// </summary>
public sealed class AutoReportSection : IReportSection
{
    public string Id => "auto";
    public string Title => "AutoML: mlp auto train";
    public int Order => 350;

    public bool AppliesTo(ReportContext context) => AutoRunFiles.IsAutoRun(context.RunFolder);

    public void Write(ReportContext context, HtmlDocument html)
    {
        var s = AutoRunFiles.Read(context.RunFolder);
        var inv = CultureInfo.InvariantCulture;
        html.KeyValues([
            ("data set", s.Dataset), ("searched", string.Join(" and ", s.Approaches)), ("why", s.Reason), ("chosen", s.Chosen),
            (s.Evaluated ?? "tested", s.Accuracy is { } a ? string.Create(inv, $"{HtmlDocument.Percent(a)} of {s.Evaluations} images") : "no test or val folder"),
            ("time", string.Create(inv, $"{HtmlDocument.Seconds(s.Seconds)} (search budget {HtmlDocument.Seconds(s.BudgetSeconds)})")),
        ]);
        html.Command($"mlp auto train --dataset {s.Dataset} --out {context.RunFolder}");
        html.Heading($"Leaderboard ({s.Leaderboard.Count} trials; validation on a stratified fifth of the training images)");
        html.Table(["rank", "approach", "trial", "configuration", "validation accuracy", "validation loss", "seconds"],
            s.Leaderboard.Take(20).Select(e => new[]
            {
                e.Rank.ToString(inv), e.Approach, e.Trial.ToString(inv), e.Parameters, HtmlDocument.Percent(e.ValidationAccuracy),
                e.ValidationLoss.ToString("F4", inv), e.Seconds.ToString("F1", inv),
            }));
        if (s.Leaderboard.Count > 20) html.Note($"The first 20 of {s.Leaderboard.Count}: every trial is in leaderboard.csv.");

        string db = Path.Combine(context.RunFolder, "study.db");
        if (!File.Exists(db)) return;
        using var storage = new SqliteStudyStorage(db, readOnly: true);
        foreach (string name in storage.Studies())
        {
            var study = storage.Load(name);
            var (_, charts) = SweepReport.Write(new SweepSummary(study), Path.Combine(context.RunFolder, name == "auto" ? "study" : name, "report"));
            html.Heading($"Study '{name}' ({study.Config.Trainer})");
            foreach (var (title, file) in charts.Where(c => Path.GetFileName(c.File) is "history.png" or "importances.png" or "parallel_coordinates.png"))
                html.Figure(file, title);
        }
    }
}
