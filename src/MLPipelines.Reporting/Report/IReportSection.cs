namespace MLPipelines.Reporting.Report;

/// <summary>
/// A part of the HTML report. To add one, write a public class with a parameterless constructor that
/// implements this interface, in this project or in any project the <c>mlp</c> program references: the
/// registry (<see cref="ReportSections"/>) finds it, asks <see cref="AppliesTo"/> whether the run folder
/// holds its results, and writes it in <see cref="Order"/>.
/// </summary>
public interface IReportSection
{
    /// <summary>The anchor in the page (letters, digits, dashes).</summary>
    string Id { get; }
    string Title { get; }
    /// <summary>Position in the page: run overview 0, digits 100-199, Greek letters 200, sweeps 300, animals 400.</summary>
    int Order { get; }
    /// <summary>Whether the run folder holds this section's results; sections that do not apply are left out.</summary>
    bool AppliesTo(ReportContext context);
    /// <summary>Writes the section's body (its heading is written by the report).</summary>
    void Write(ReportContext context, HtmlDocument html);
}
