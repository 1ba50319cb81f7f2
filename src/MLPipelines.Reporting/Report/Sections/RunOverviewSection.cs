using System.Globalization;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>The run at a glance: the command that made it, when, how long each stage took and which were skipped and why.</summary>
public sealed class RunOverviewSection : IReportSection
{
    public string Id => "run";
    public string Title => "The run";
    public int Order => 0;

    public bool AppliesTo(ReportContext context) => true;

    public void Write(ReportContext context, HtmlDocument html)
    {
        var log = context.Stages;
        if (log is null)
        {
            html.Paragraph("A single training run (not made by mlp all). Its command:");
            var options = context.Digits?.Options();
            if (options is { } o && o.TryGetProperty("CommandLine", out var cmd)) html.Command(cmd.GetString() ?? "");
            return;
        }
        html.Paragraph("Every stage of the assignment that the data allowed, run by one command:");
        html.Command(log.Command);
        html.KeyValues([
            ("started", log.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            ("total time", HtmlDocument.Seconds(log.TotalSeconds)),
            ("machine", log.Machine ?? "?"),
            ("run folder", context.RunFolder),
        ]);
        html.Table(["stage", "status", "time", "folder or reason"], log.Stages.Select(s => new[]
        {
            s.Name, s.Status.ToString().ToLowerInvariant(), s.Status == StageStatus.Skipped ? "" : HtmlDocument.Seconds(s.Seconds),
            s.Detail ?? s.Folder ?? "",
        }));
    }
}
