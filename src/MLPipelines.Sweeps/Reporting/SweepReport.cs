using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MLPipelines.Data.IO;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Reporting;

/// <summary>
/// The sweep section of the project's report: <c>sweep.md</c> (markdown), <c>sweep.html</c> (an HTML fragment, a
/// &lt;section&gt; whose images are relative to the same folder), <c>summary.json</c>, <c>trials.csv</c> and the charts.
/// </summary>
public static class SweepReport
{
    /// <summary>Writes the report into <paramref name="folder"/>; returns the files written, sweep.md first, sweep.html second.</summary>
    public static IReadOnlyList<string> Write(Study study, string folder) => Write(new SweepSummary(study), folder).Files;

    /// <summary>Writes the report of <paramref name="summary"/>; returns the files and, of them, the charts with their titles.</summary>
    internal static (IReadOnlyList<string> Files, IReadOnlyList<(string Title, string File)> Charts) Write(SweepSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        var study = summary.Study;
        var charts = new List<(string Title, string File)>();
        foreach (var factor in summary.Factors.Keys)
            charts.Add(($"Test accuracy against {factor}", SweepCharts.AccuracyAgainst(summary, factor, Path.Combine(folder, $"accuracy_vs_{factor}.png"))));
        string? kernel = summary.Factors.Keys.FirstOrDefault(k => k is "kernel" or "kernel_size");
        if (kernel is not null)
            charts.Add(("Time per epoch against kernel size", SweepCharts.TimeAgainst(summary, kernel, Path.Combine(folder, "time_vs_kernel.png"))));
        if (study.Trials.Any(t => t.EpochsDone > 0))
        {
            charts.Add(("Test accuracy by epoch", SweepCharts.Curves(study, Path.Combine(folder, "curves.png"))));
            charts.Add(("Optimization history", SweepCharts.History(study, Path.Combine(folder, "history.png"))));
        }
        var importances = ParameterImportance.Of(study);
        if (importances.Count > 0)
            charts.Add(("Parameter importances", SweepCharts.Importances(study, importances, Path.Combine(folder, "importances.png"))));
        if (study.Trials.Count(t => t.Accuracy is not null) >= 2 && study.Config.ParseSpace().Parameters.Count >= 2)
            charts.Add(("Parallel coordinates", SweepCharts.ParallelCoordinates(study, Path.Combine(folder, "parallel_coordinates.png"))));

        string md = Path.Combine(folder, "sweep.md");
        string html = Path.Combine(folder, "sweep.html");
        string json = Path.Combine(folder, "summary.json");
        string csv = Path.Combine(folder, "trials.csv");
        AtomicFile.WriteAllText(md, Markdown(summary, charts));
        AtomicFile.WriteAllText(html, Html(summary, charts));
        AtomicFile.WriteAllText(json, Json(summary));
        AtomicFile.WriteAllText(csv, Csv(study));
        return ([md, html, json, csv, .. charts.Select(c => c.File)], charts);
    }

    /// <summary>
    /// For the project's report (<c>mlp all</c>): writes the report of every SQLite study under
    /// <paramref name="sweepsRoot"/> (runs/sweeps/&lt;study&gt;/study.db) into <paramref name="folder"/>/&lt;study&gt;/.
    /// Returns, per study, the files written (sweep.md first, the HTML fragment sweep.html second).
    /// </summary>
    public static IReadOnlyList<(string Study, IReadOnlyList<string> Files)> WriteLocalStudies(string sweepsRoot, string folder)
    {
        var written = new List<(string, IReadOnlyList<string>)>();
        if (!Directory.Exists(sweepsRoot)) return written;
        foreach (string db in Directory.GetFiles(sweepsRoot, "study.db", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var storage = new Storage.SqliteStudyStorage(db);
            foreach (string name in storage.Studies())
            {
                var study = storage.Load(name);
                if (study.Trials.Any(t => t.EpochsDone > 0)) written.Add((name, Write(study, Path.Combine(folder, name))));
            }
        }
        return written;
    }

    internal static string P(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
    private static string S(double v) => double.IsNaN(v) ? "–" : v.ToString("F2", CultureInfo.InvariantCulture);
    private static string F(double v) => ParameterSpec.Format(v);

    internal static string Heading(SweepSummary s)
    {
        var c = s.Study.Config;
        string data = (c.TrainLimit > 0 ? $"first {c.TrainLimit:N0}" : "all") + " training images, " + (c.TestLimit > 0 ? $"first {c.TestLimit:N0}" : "all") + " test images";
        return string.Create(CultureInfo.InvariantCulture,
            $"Study '{c.Name}': tuner {c.Tuner}{(c.Tuner is "asha" or "tpe-asha" ? $" (eta {c.Eta}, rungs from {c.MinEpochs} epoch{(c.MinEpochs == 1 ? "" : "s")})" : "")}, " +
            $"{c.Epochs} epochs per full trial, recipe {c.Recipe}, seed {c.Seed}, {c.Dataset} ({data}). " +
            $"{s.Study.Count(TrialState.Complete)} complete, {s.Study.Count(TrialState.Pruned)} pruned, {s.Study.Count(TrialState.Failed)} failed " +
            $"of {s.Study.Trials.Count} trials; {s.Study.EpochsTrained} epochs trained; compute {s.Study.WallSeconds:F0} s wall, {s.Study.CpuSeconds:F0} s CPU.");
    }

    internal static string TableTitle(SweepSummary s, string factor) => s.Base is null
        ? $"Accuracy and time by {factor} (mean over the other factors)"
        : $"Accuracy and time by {factor} (others at the base point {s.Base})";

    internal static readonly string[] Columns = ["value", "trials", "accuracy before", "accuracy after", "best after", "train s / epoch", "CPU s / epoch", "wall s / trial"];

    internal static string[] Cells(FactorRow r) =>
        [F(r.Value), r.Trials.ToString(CultureInfo.InvariantCulture), P(r.AccuracyBefore), P(r.AccuracyAfter), P(r.BestAfter), S(r.SecondsPerEpoch), S(r.CpuSecondsPerEpoch), S(r.WallSeconds)];

    internal static string BestText(Trial b) => string.Create(CultureInfo.InvariantCulture,
        $"trial {b.Number}: {b.Parameters}: test accuracy {b.AccuracyBefore:P2} before training, {b.Accuracy:P2} after {b.EpochsDone} epochs " +
        $"(test loss {b.Last!.TestLoss:F4}, train loss {b.Last.TrainLoss:F4}); {b.WallSeconds:F1} s wall, {b.CpuSeconds:F1} s CPU, " +
        $"peak memory {b.PeakMemoryMb:F0} MB, seed {b.Seed}, {b.Threads} threads");

    private static string Markdown(SweepSummary s, List<(string Title, string File)> charts)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"## Hyper-parameter sweep: {s.Study.Name}").AppendLine().AppendLine(Heading(s)).AppendLine();
        if (s.Best is { } best) sb.AppendLine($"**Best trial**: {BestText(best)}.").AppendLine();
        foreach (var (factor, rows) in s.Factors)
        {
            sb.AppendLine($"### {TableTitle(s, factor)}").AppendLine();
            sb.AppendLine("| " + string.Join(" | ", Columns) + " |").AppendLine("|" + string.Concat(Columns.Select(_ => "---|")));
            foreach (var r in rows) sb.AppendLine("| " + string.Join(" | ", Cells(r)) + " |");
            sb.AppendLine();
        }
        if (s.Hypotheses.Count > 0)
        {
            sb.AppendLine("### The assignment's hypotheses").AppendLine();
            foreach (var h in s.Hypotheses) sb.AppendLine($"- **{h.Question}** {h.Answer}");
            sb.AppendLine();
        }
        foreach (var (title, file) in charts) sb.AppendLine($"![{title}]({Path.GetFileName(file)})").AppendLine();
        return sb.ToString();
    }

    private static string Html(SweepSummary s, List<(string Title, string File)> charts)
    {
        static string E(string t) => WebUtility.HtmlEncode(t);
        var sb = new StringBuilder();
        sb.AppendLine($"<section class=\"sweep\" id=\"sweep-{E(s.Study.Name)}\">");
        sb.AppendLine($"<h2>Hyper-parameter sweep: {E(s.Study.Name)}</h2>").AppendLine($"<p>{E(Heading(s))}</p>");
        if (s.Best is { } best) sb.AppendLine($"<p><strong>Best trial</strong>: {E(BestText(best))}.</p>");
        foreach (var (factor, rows) in s.Factors)
        {
            sb.AppendLine($"<h3>{E(TableTitle(s, factor))}</h3>").AppendLine("<table>");
            sb.AppendLine("<tr>" + string.Concat(Columns.Select(c => $"<th>{E(c)}</th>")) + "</tr>");
            foreach (var r in rows) sb.AppendLine("<tr>" + string.Concat(Cells(r).Select(c => $"<td>{E(c)}</td>")) + "</tr>");
            sb.AppendLine("</table>");
        }
        if (s.Hypotheses.Count > 0)
        {
            sb.AppendLine("<h3>The assignment's hypotheses</h3>").AppendLine("<ul>");
            foreach (var h in s.Hypotheses) sb.AppendLine($"<li><strong>{E(h.Question)}</strong> {E(h.Answer)}</li>");
            sb.AppendLine("</ul>");
        }
        foreach (var (title, file) in charts)
            sb.AppendLine($"<figure><img src=\"{E(Path.GetFileName(file))}\" alt=\"{E(title)}\"><figcaption>{E(title)}</figcaption></figure>");
        sb.AppendLine("</section>");
        return sb.ToString();
    }

    private static string Json(SweepSummary s)
    {
        var best = s.Best;
        return JsonSerializer.Serialize(new
        {
            study = s.Study.Config,
            trials = s.Study.Trials.Count,
            complete = s.Study.Count(TrialState.Complete),
            pruned = s.Study.Count(TrialState.Pruned),
            failed = s.Study.Count(TrialState.Failed),
            epochs_trained = s.Study.EpochsTrained,
            wall_seconds = s.Study.WallSeconds,
            cpu_seconds = s.Study.CpuSeconds,
            best = best is null ? null : new
            {
                number = best.Number, parameters = best.Parameters.Values.ToDictionary(v => v.Key, v => v.Value),
                accuracy_before = best.AccuracyBefore, accuracy = best.Accuracy, epochs = best.EpochsDone, wall_seconds = best.WallSeconds,
            },
            factors = s.Factors,
            hypotheses = s.Hypotheses,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }

    private static string Csv(Study study)
    {
        var names = study.Config.ParseSpace().Parameters.Select(p => p.Name).ToList();
        var sb = new StringBuilder("number,state," + string.Join(',', names) +
            ",target_epochs,epochs,accuracy_before,accuracy,test_loss,train_loss,seconds_per_epoch,wall_seconds,cpu_seconds,peak_memory_mb,seed,threads,attempts\n");
        foreach (var t in study.Trials)
        {
            var last = t.Last;
            sb.Append(CultureInfo.InvariantCulture, $"{t.Number},{t.State.ToText()},");
            sb.Append(string.Join(',', names.Select(n => t.Parameters.TryGet(n, out double v) ? F(v) : "")));
            sb.Append(CultureInfo.InvariantCulture,
                $",{t.TargetEpochs},{t.EpochsDone},{t.AccuracyBefore:R},{(t.EpochsDone > 0 ? last!.TestAccuracy : double.NaN):R},{last?.TestLoss:R},{last?.TrainLoss:R}," +
                $"{t.SecondsPerEpoch:F3},{t.WallSeconds:F3},{t.CpuSeconds:F3},{t.PeakMemoryMb:F1},{t.Seed},{t.Threads},{t.Attempts}\n");
        }
        return sb.ToString();
    }
}
