using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figure 8: what each filter does to the first training digit.</summary>
public sealed class FilterEffectsSection : DigitSection
{
    public override string Id => "digits-filter-effects";
    public override string Title => "8. The effect of the filters";
    public override int Order => 170;

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        html.Paragraph("Each filter beside the first training digit filtered by it, as the assignment did with OpenCV's filter2D: " +
                       "correlation (the kernel is not flipped, as in the network), output the size of the input, borders reflected " +
                       "(BORDER_REFLECT_101), no bias. Each picture is scaled from its darkest to its lightest value.");
        Figure(html, run, FigureFiles.FilterEffects, "Figure 8. Each filter and the first training digit filtered by it");
    }
}
