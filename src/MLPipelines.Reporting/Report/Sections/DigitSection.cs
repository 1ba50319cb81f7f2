using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Base of the digit network's sections: they apply when the run has digit results and show figures from figures/.</summary>
public abstract class DigitSection : IReportSection
{
    public abstract string Id { get; }
    public abstract string Title { get; }
    public abstract int Order { get; }

    public virtual bool AppliesTo(ReportContext context) => context.Digits is not null;

    public void Write(ReportContext context, HtmlDocument html) => Write(context, context.Digits!, html);

    protected abstract void Write(ReportContext context, DigitRunFiles run, HtmlDocument html);

    protected static void Figure(HtmlDocument html, DigitRunFiles run, string file, string caption) =>
        html.Figure(run.Figure(file), caption, $"make it with: mlp examine {run.Folder}");
}
