using System.Net;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Reporting;

/// <summary>
/// The report's sweep section, from RUN/sweep/&lt;study&gt;/study.db of an <c>mlp all</c> run: per study, the settings, the
/// best trial, the accuracy before and after training and the time per value of each factor, the assignment's
/// hypotheses answered, and the charts. The study's report folder (RUN/sweep/&lt;study&gt;/report) is rewritten from the
/// study first, so a study resumed after the run shows as it is now.
/// </summary>
public sealed class SweepReportSection : IReportSection
{
    public const string StageName = "sweep";

    public string Id => "sweep";
    public string Title => "Hyper-parameter sweep";
    public int Order => 300;

    public bool AppliesTo(ReportContext context) => Databases(context).Count > 0;

    public void Write(ReportContext context, HtmlDocument html)
    {
        var studies = Databases(context).SelectMany(db => Load(db).Select(study => (Folder: Path.GetDirectoryName(db)!, Study: study))).ToList();
        if (studies.Count == 0)
        {
            html.Note("The sweep's storage holds no study yet.");
            return;
        }
        html.Paragraph("The digit network trained once per configuration (every trial with the same seed), tested on the test images before " +
                       "training and after every epoch; the tables give the mean over the trials with each value of a factor.");
        foreach (var (folder, study) in studies) WriteStudy(folder, study, studies.Count > 1, html);
    }

    private static void WriteStudy(string folder, Study study, bool several, HtmlDocument html)
    {
        var summary = new SweepSummary(study);
        var (_, charts) = SweepReport.Write(summary, Path.Combine(folder, "report"));
        if (several) html.Heading($"Study '{study.Name}'");
        html.Paragraph(SweepReport.Heading(summary));
        html.Command(Command(study.Config, folder));
        int left = study.Count(TrialState.Waiting) + study.Count(TrialState.Running);
        if (left > 0)
            html.Note($"{left} trial(s) not trained yet; the command above continues the study.");
        if (summary.Best is { } best) html.Raw($"<p><strong>Best trial</strong>: {WebUtility.HtmlEncode(SweepReport.BestText(best))}.</p>");
        foreach (var (factor, rows) in summary.Factors)
        {
            html.Heading(SweepReport.TableTitle(summary, factor));
            html.Table(SweepReport.Columns, rows.Select(SweepReport.Cells));
        }
        if (summary.Hypotheses.Count > 0)
        {
            html.Heading("The assignment's hypotheses");
            html.Raw("<ul>\n" + string.Concat(summary.Hypotheses.Select(h =>
                $"<li><strong>{WebUtility.HtmlEncode(h.Question)}</strong> {WebUtility.HtmlEncode(h.Answer)}</li>\n")) + "</ul>");
        }
        foreach (var (title, file) in charts) html.Figure(file, title);
    }

    /// <summary>The command that makes this study (and resumes it: a study is resumed by its name and folder).</summary>
    public static string Command(StudyConfig c, string folder)
    {
        var parts = new List<string> { "mlp sweep run", $"--study {c.Name}", $"--tuner {c.Tuner}", $"--epochs {c.Epochs}" };
        if (c.Space != SearchSpace.Assignment.ToString()) parts.Add($"--space \"{c.Space}\"");
        if (c.Base is not null && c.Base != TunerFactory.DefaultBase(c.ParseSpace()).Key) parts.Add($"--base \"{c.Base}\"");
        if (c.Tuner is "asha" or "tpe-asha") parts.Add($"--eta {c.Eta} --min-epochs {c.MinEpochs}");
        if (c.Tuner is "random" or "asha" or "tpe" or "tpe-asha" && c.Trials > 0) parts.Add($"--trials {c.Trials}");
        if (c.Tuner is "tpe" or "tpe-asha" && c.StartupTrials > 0) parts.Add($"--startup-trials {c.StartupTrials}");
        if (c.Recipe != "assignment") parts.Add($"--recipe {c.Recipe}");
        if (c.Dataset != "mnist") parts.Add($"--dataset {c.Dataset}");
        if (c.TrainLimit > 0) parts.Add($"--train-limit {c.TrainLimit}");
        if (c.TestLimit > 0) parts.Add($"--test-limit {c.TestLimit}");
        if (c.Seed != 1) parts.Add($"--seed {c.Seed}");
        parts.Add($"--out {folder}");
        return string.Join(' ', parts);
    }

    /// <summary>The SQLite study files in the run's sweep folder (RUN/sweep/&lt;study&gt;/study.db).</summary>
    private static IReadOnlyList<string> Databases(ReportContext context) =>
        context.StageFolder(StageName) is { } folder
            ? Directory.GetFiles(folder, "study.db", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Every study in a study file; an unreadable file is a one-line problem of this section.</summary>
    private static IReadOnlyList<Study> Load(string db)
    {
        try
        {
            using var storage = new SqliteStudyStorage(db, readOnly: true);
            return storage.Studies().Select(storage.Load).ToList();
        }
        catch (Exception e) when (e is StorageException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new RunFileException($"{db}: {e.Message}");
        }
    }
}
