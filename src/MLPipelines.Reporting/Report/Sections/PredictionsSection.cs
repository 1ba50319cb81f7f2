using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figures 4 and 5: the first test digits with predictions, and the assignment's printout of the network's outputs.</summary>
public sealed class PredictionsSection : DigitSection
{
    public override string Id => "digits-predictions";
    public override string Title => "4–5. Predictions on the test set";
    public override int Order => 130;

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        Figure(html, run, FigureFiles.TestPredictions, "Figure 4. The first nine test digits with the predicted label above each (a miss in red)");
        html.Heading("The network's outputs for the first 10 test digits");
        html.Paragraph("Each row: the 10 output values (log-probabilities, 2 decimals), the index of the largest, and the correct label.");
        string? printout = run.FirstOutputs();
        if (printout is null) html.Note("first_outputs.txt is not in the run folder");
        else html.Pre(printout);
    }
}
