using System.Globalization;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figure 9: where the network errs: confusion matrix, per-class accuracy, the most confident mistakes.</summary>
public sealed class ErrorsSection : DigitSection
{
    public override string Id => "digits-errors";
    public override string Title => "9. Mistakes on the test set";
    public override int Order => 180;

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        var e = run.Evaluation();
        html.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{e.Count - e.Correct} of {e.Count} test digits are misclassified (accuracy {HtmlDocument.Percent(e.Accuracy)})."));
        Figure(html, run, FigureFiles.ConfusionMatrix, "Figure 9a. Confusion matrix: rows are the true digit, columns the prediction");
        if (e.PerClassAccuracy.Length == e.Classes.Length && e.Classes.Length > 0)
        {
            html.Heading("Accuracy per class");
            html.Table(e.Classes, [e.PerClassAccuracy.Select(a => double.IsNaN(a) ? "-" : HtmlDocument.Percent(a))]);
        }
        Figure(html, run, FigureFiles.ConfidentMistakes, "Figure 9b. The most confidently wrong test digits: prediction (true label) and its probability");
    }
}
