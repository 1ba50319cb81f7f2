using System.Globalization;
using System.Text;
using MLPipelines.Data.IO;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report;

/// <summary>What writing a report did: the file, the sections in it, the images embedded and any section that failed.</summary>
public sealed record ReportResult(string Path, IReadOnlyList<string> Sections, int Images, IReadOnlyList<string> Problems);

/// <summary>
/// Writes the run's report: one self-contained HTML page (styles inline, images as data URIs, no scripts or
/// links out) with a contents list and every section that applies, in order.
/// </summary>
public static class ReportWriter
{
    public const string FileName = "report.html";

    public static ReportResult Write(ReportContext context, IReadOnlyList<IReportSection> sections, string? outputPath = null)
    {
        string path = outputPath ?? Path.Combine(context.RunFolder, FileName);
        var applicable = sections.Where(s => s.AppliesTo(context)).ToList();
        var problems = new List<string>();
        var bodies = new List<(IReportSection Section, string Html)>();
        int images = 0;
        foreach (var section in applicable)
        {
            var doc = new HtmlDocument();
            try
            {
                section.Write(context, doc);
            }
            catch (Exception e) when (e is RunFileException or IOException or InvalidDataException or System.Text.Json.JsonException or ArgumentException)
            {
                // One unreadable file spoils its section, not the whole report.
                problems.Add($"{section.Title}: {e.Message}");
                doc.Note($"This section could not be written: {e.Message}");
            }
            images += doc.EmbeddedImages;
            bodies.Add((section, doc.ToString()));
        }

        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(HtmlDocument.Encode(Title(context))).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>").Append(HtmlDocument.Encode(Title(context))).Append("</h1><p class=\"note\">")
            .Append(HtmlDocument.Encode($"{context.RunFolder} — written {DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} by mlp report"))
            .Append("</p></header>\n<nav><ul>\n");
        foreach (var (s, _) in bodies)
            page.Append("<li><a href=\"#").Append(s.Id).Append("\">").Append(HtmlDocument.Encode(s.Title)).Append("</a></li>\n");
        page.Append("</ul></nav>\n<main>\n");
        foreach (var (s, body) in bodies)
            page.Append("<section id=\"").Append(s.Id).Append("\">\n<h2>").Append(HtmlDocument.Encode(s.Title)).Append("</h2>\n").Append(body).Append("</section>\n");
        page.Append("</main>\n</body>\n</html>\n");
        AtomicFile.WriteAllText(path, page.ToString());
        return new ReportResult(path, bodies.Select(b => b.Section.Id).ToList(), images, problems);
    }

    private static string Title(ReportContext c) => $"MLPipelines report: {Path.GetFileName(c.RunFolder)}";

    private const string Css = """
        body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:0 24px 48px;color:#212121;line-height:1.45}
        h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #90a4ae;padding-bottom:4px;margin-top:2em}h3{margin-top:1.4em}
        nav ul{columns:2;background:#f5f7f8;padding:12px 12px 12px 36px;border-radius:6px}
        figure{margin:16px 0}figure img{max-width:100%;border:1px solid #cfd8dc}figcaption{color:#455a64;font-size:.92em}
        .file{color:#90a4ae}.note{color:#607d8b;font-size:.92em}
        pre{background:#f5f7f8;padding:10px 12px;overflow-x:auto;border-radius:4px;font-size:.88em}pre.cmd{background:#263238;color:#eceff1}
        table{border-collapse:collapse;margin:10px 0}th,td{padding:4px 10px;border:1px solid #cfd8dc;text-align:left}
        table.data th{background:#37474f;color:#fff}table.data td{font-variant-numeric:tabular-nums}
        table.kv th{background:#eceff1;font-weight:600}
        .filters{display:flex;flex-wrap:wrap;gap:14px}.filters table{margin:0}.filters td{width:42px;height:30px;text-align:center;font-size:.78em;padding:2px}
        .filters caption{font-weight:600;padding-bottom:2px}
        .ok{color:#1b5e20}.miss{color:#c62828;font-weight:600}
        """;
}
