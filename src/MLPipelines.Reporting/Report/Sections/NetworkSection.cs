using MLPipelines.Reporting.Figures;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figure 2: the network summary, as a table in the page and as the figure.</summary>
public sealed class NetworkSection : DigitSection
{
    public override string Id => "digits-network";
    public override string Title => "2. The network";
    public override int Order => 110;

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        html.Paragraph("Two convolution layers (10 and 20 filters of 5x5, each followed by 2x2 max pooling and ReLU, dropout after the second), " +
                       "then two fully connected layers (50 and 10 units) and log-softmax, as in the assignment.");
        string json = run.Figure(FigureFiles.NetworkSummaryJson);
        if (File.Exists(json))
        {
            var s = RunFiles.ReadJson<NetworkSummaryData>(json);
            html.Table(["layer (type)", "output shape", "parameters"],
                new[] { new[] { s.Model, s.OutputShape, "--" } }
                    .Concat(s.Layers.Select(l => new[] { $"{l.Name} ({l.Type})", l.OutputShape, NetworkSummaryFigure.ParamText(l) })));
            html.KeyValues([
                ("input", s.InputShape),
                ("total parameters", NetworkSummaryFigure.N(s.Total)),
                ("trainable", NetworkSummaryFigure.N(s.Trainable)),
                ("non-trainable", NetworkSummaryFigure.N(s.NonTrainable)),
            ]);
        }
        Figure(html, run, FigureFiles.NetworkSummary, "Figure 2. Network summary (layer, output shape, parameters)");
    }
}
