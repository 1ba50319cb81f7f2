using System.Globalization;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Report.Sections;

/// <summary>Figure 6: the network on people's own handwriting (photos and drawings), with the score.</summary>
public sealed class HandwrittenSection : DigitSection
{
    public override string Id => "digits-handwritten";
    public override string Title => "6. People's handwritten digits";
    public override int Order => 140;

    public override bool AppliesTo(ReportContext context) =>
        context.Digits is { } d && (File.Exists(d.Figure(FigureFiles.HandwrittenJson)) || File.Exists(d.Figure(FigureFiles.Handwritten)));

    protected override void Write(ReportContext context, DigitRunFiles run, HtmlDocument html)
    {
        string json = run.Figure(FigureFiles.HandwrittenJson);
        var results = File.Exists(json) ? RunFiles.ReadJson<HandwrittenResults>(json) : null;
        if (results is not null)
            html.Paragraph($"Digits written by people, not from MNIST: each picture is decoded (transparent backgrounds composited onto white), " +
                           $"turned into an MNIST-style 28x28 digit ({results.Preprocessing}: light ink on black, cropped, scaled into 20x20, " +
                           $"centred by mass) and read by the trained model {Path.GetFileName(results.Model)} through ML.NET.");
        html.Figure(run.Figure(FigureFiles.Handwritten), "Figure 6. People's handwritten digits with the prediction over each (misses in red)",
            "make it with: mlp examine " + run.Folder);
        if (results is null) return;
        html.Table(["set", "folder", "right", "score", "misses (file: read as, probability)"], results.Sets.Select(s => new[]
        {
            s.Name, s.Folder, $"{s.Correct} of {s.Count}", Percent(s.Correct, s.Count),
            string.Join(", ", s.Items.Where(i => !i.Correct).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"{i.File}: {i.Prediction} ({i.Probability:0%})"))),
        }).Append(["all", "", $"{results.Correct} of {results.Count}", Percent(results.Correct, results.Count), ""]));
    }

    private static string Percent(int right, int count) => count == 0 ? "-" : HtmlDocument.Percent((double)right / count);
}
