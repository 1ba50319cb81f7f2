using System.Globalization;
using System.Text;
using MLPipelines.Reporting.Figures;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figure 7: the first layer's filters as heat maps, and their weights as coloured tables (exact value on hover).</summary>
public sealed class FiltersSection : DigitSection
{
    public override string Id => "digits-filters";
    public override string Title => "7. The first layer's filters";
    public override int Order => 160;

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        html.Paragraph("The weights of conv1, the layer that looks at the image: each filter is 5x5 and slides over the digit. " +
                       "All filters share one colour scale (blue negative, white zero, red positive).");
        Figure(html, run, FigureFiles.Filters, "Figure 7. The 10 first-layer filters as heat maps");
        string json = run.Figure(FigureFiles.FiltersJson);
        if (!File.Exists(json)) return;
        var weights = RunFiles.ReadJson<FilterWeights>(json);
        html.Heading("Filter weights");
        html.Paragraph("The same weights as numbers (hover a cell for the full value; the bias is under each table).");
        html.Raw(Tables(weights));
    }

    public static string Tables(FilterWeights weights)
    {
        double limit = weights.Limit();
        var sb = new StringBuilder("<div class=\"filters\">");
        for (int f = 0; f < weights.Count; f++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<table><caption>Filter {f}</caption><tbody>");
            var rows = weights.Filters[f];
            for (int r = 0; r < rows.Length; r++)
            {
                sb.Append("<tr>");
                for (int c = 0; c < rows[r].Length; c++)
                {
                    float v = rows[r][c];
                    var color = FilterPalette.ColorOf(v, limit);
                    sb.Append(CultureInfo.InvariantCulture,
                        $"<td style=\"background:{FilterPalette.Css(color)}\" title=\"filter {f}, row {r}, column {c}: {v:R}\">{v:0.00}</td>");
                }
                sb.Append("</tr>");
            }
            string bias = f < weights.Bias.Length ? weights.Bias[f].ToString("0.000", CultureInfo.InvariantCulture) : "?";
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"{rows[0].Length}\">bias {bias}</td></tr></tbody></table>");
        }
        return sb.Append("</div>").ToString();
    }
}
