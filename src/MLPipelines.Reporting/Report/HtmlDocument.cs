using System.Globalization;
using System.Net;
using System.Text;

namespace MLPipelines.Reporting.Report;

/// <summary>
/// The body of a report section, built from small HTML pieces. Text is always encoded; images are embedded as
/// data URIs so that the page is one file that opens offline.
/// </summary>
public sealed class HtmlDocument
{
    private readonly StringBuilder html = new();

    public int EmbeddedImages { get; private set; }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public HtmlDocument Heading(string text)
    {
        html.Append("<h3>").Append(Encode(text)).Append("</h3>\n");
        return this;
    }

    public HtmlDocument Paragraph(string text)
    {
        html.Append("<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A muted remark (a missing file, how to make it).</summary>
    public HtmlDocument Note(string text)
    {
        html.Append("<p class=\"note\">").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>HTML the caller built itself; it must encode any text it puts in.</summary>
    public HtmlDocument Raw(string fragment)
    {
        html.Append(fragment).Append('\n');
        return this;
    }

    public HtmlDocument Pre(string text, string cssClass = "out")
    {
        html.Append("<pre class=\"").Append(cssClass).Append("\">").Append(Encode(text.TrimEnd())).Append("</pre>\n");
        return this;
    }

    public HtmlDocument Command(string command) => Pre(command, "cmd");

    /// <summary>A PNG embedded in the page with a caption; a missing file leaves a note saying how to make it.</summary>
    public HtmlDocument Figure(string path, string caption, string? missingHint = null)
    {
        if (!File.Exists(path))
            return Note($"{Path.GetFileName(path)} is not there{(missingHint is null ? "" : ": " + missingHint)}");
        string data = Convert.ToBase64String(File.ReadAllBytes(path));
        html.Append("<figure><img src=\"data:image/png;base64,").Append(data).Append("\" alt=\"").Append(Encode(caption))
            .Append("\" title=\"").Append(Encode(Path.GetFileName(path))).Append("\"><figcaption>").Append(Encode(caption))
            .Append(" <span class=\"file\">(").Append(Encode(Path.GetFileName(path))).Append(")</span></figcaption></figure>\n");
        EmbeddedImages++;
        return this;
    }

    public HtmlDocument Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows, string cssClass = "data")
    {
        html.Append("<table class=\"").Append(cssClass).Append("\"><thead><tr>");
        foreach (string h in headers) html.Append("<th>").Append(Encode(h)).Append("</th>");
        html.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row) html.Append("<td>").Append(Encode(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Name-value pairs, <paramref name="perRow"/> pairs to a table row (a long list of options stays compact).</summary>
    public HtmlDocument KeyValues(IEnumerable<(string Key, string Value)> pairs, int perRow = 1)
    {
        html.Append("<table class=\"kv\"><tbody>\n");
        foreach (var row in pairs.Chunk(Math.Max(1, perRow)))
        {
            html.Append("<tr>");
            foreach (var (k, v) in row) html.Append("<th>").Append(Encode(k)).Append("</th><td>").Append(Encode(v)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table>\n");
        return this;
    }

    public static string Seconds(double s) => s switch
    {
        < 60 => s.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        < 3600 => $"{(int)(s / 60)} min {(s % 60).ToString("00", CultureInfo.InvariantCulture)} s",
        _ => $"{(int)(s / 3600)} h {(int)(s % 3600 / 60):00} min",
    };

    public static string Percent(double v) => v.ToString("0.00%", CultureInfo.InvariantCulture);

    public override string ToString() => html.ToString();
}
