using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figure 1: what the data looks like.</summary>
public sealed class DigitDataSection : DigitSection
{
    public override string Id => "digits-data";
    public override string Title => "1. The MNIST digits";
    public override int Order => 100;

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        var options = run.Options();
        string dataset = options.TryGetProperty("Dataset", out var d) ? d.GetString() ?? "mnist" : "mnist";
        string folder = options.TryGetProperty("DataFolder", out var f) ? f.GetString() ?? "" : "";
        html.Paragraph($"Data set {dataset}, read from {folder}: 28x28 grey images of handwritten digits, light strokes on black. " +
                       "The first training images in file order, with their labels:");
        Figure(html, run, FigureFiles.TrainingDigits, "Figure 1. The first six training digits and their labels");
    }
}
