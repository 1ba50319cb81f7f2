using System.Text.RegularExpressions;
using MLPipelines.Reporting.Report.Sections;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;
using MLPipelines.Tests.Support;

namespace MLPipelines.Reporting.Tests;

/// <summary>The HTML report: every section and figure is in it, embedded, and it needs nothing from outside.</summary>
[TestClass]
public sealed partial class ReportTests
{
    private static readonly string[] DigitSections =
        ["digits-data", "digits-network", "digits-training", "digits-predictions", "digits-filters", "digits-filter-effects", "digits-errors"];

    [TestMethod]
    public void TheReportOfATrainingRunHasEverySectionAndEmbedsEveryFigure()
    {
        using var temp = new TempDir();
        SyntheticRun.Write(temp.Path);
        var result = ReportWriter.Write(new ReportContext(temp.Path), ReportSections.Discover());
        string html = File.ReadAllText(result.Path);

        Assert.AreEqual(Path.Combine(temp.Path, "report.html"), result.Path);
        Assert.HasCount(0, result.Problems, string.Join("; ", result.Problems));
        foreach (string id in DigitSections.Prepend("run"))
        {
            Has(html, $"<section id=\"{id}\">");
            Has(html, $"href=\"#{id}\"");
        }
        Assert.AreEqual(FigureFiles.Examine.Length, result.Images);
        Assert.AreEqual(FigureFiles.Examine.Length, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
        foreach (string figure in FigureFiles.Examine) Has(html, $"({figure})");
        // Self-contained: no links or sources outside the page.
        Assert.DoesNotMatchRegex(OutsideReference(), html);
        // The printout, the training command, the filter values with hover titles, the per-epoch table.
        Has(html, "max index 0  correct label 0");
        Has(html, "mlp mnist train --epochs 3");
        Assert.AreEqual(10 * 25, Regex.Matches(html, "title=\"filter \\d, row \\d, column \\d: ").Count);
        Has(html, "0 (before training)");
    }

    [TestMethod]
    public void EmbeddedImagesDecodeToTheFigureFiles()
    {
        using var temp = new TempDir();
        var run = SyntheticRun.Write(temp.Path);
        string html = File.ReadAllText(ReportWriter.Write(new ReportContext(temp.Path), ReportSections.Discover()).Path);
        var match = Regex.Match(html, "<img src=\"data:image/png;base64,([^\"]+)\" alt=\"[^\"]*\" title=\"" + Regex.Escape(FigureFiles.LossCurves));
        Assert.IsTrue(match.Success, "loss figure not embedded");
        CollectionAssert.AreEqual(File.ReadAllBytes(run.Figure(FigureFiles.LossCurves)), Convert.FromBase64String(match.Groups[1].Value));
    }

    [TestMethod]
    public void AnAllRunFindsItsDigitsFolderAndListsItsStages()
    {
        using var temp = new TempDir();
        SyntheticRun.Write(Path.Combine(temp.Path, "digits"));
        new StageLog
        {
            Command = "mlp all --epochs 3",
            Started = new DateTime(2026, 11, 25, 14, 0, 0),
            TotalSeconds = 95.5,
            Stages =
            [
                new StageRecord("digits", StageStatus.Done, 80.1, "digits"),
                new StageRecord("examine", StageStatus.Done, 4.2),
                new StageRecord("greek", StageStatus.Skipped, 0, Detail: "put folder-per-class images in DATA/greek/train (see README)"),
            ],
        }.Write(temp.Path);
        var context = new ReportContext(temp.Path);
        Assert.AreEqual(Path.Combine(temp.Path, "digits"), context.Digits!.Folder);
        string html = File.ReadAllText(ReportWriter.Write(context, ReportSections.Discover()).Path);
        Has(html, "mlp all --epochs 3");
        Has(html, "1 min 36 s");
        Has(html, "put folder-per-class images in DATA/greek/train (see README)");
        foreach (string id in DigitSections) Has(html, $"<section id=\"{id}\">");
    }

    [TestMethod]
    public void TheHandwrittenSectionAppearsWithItsResultsAndScore()
    {
        using var temp = new TempDir();
        var run = SyntheticRun.Write(temp.Path);
        string withoutIt = File.ReadAllText(ReportWriter.Write(new ReportContext(temp.Path), ReportSections.Discover()).Path);
        Assert.IsFalse(withoutIt.Contains("id=\"digits-handwritten\"", StringComparison.Ordinal), "section without results");

        var results = new HandwrittenResults("/runs/x/digits/model.zip", "mnist-style",
        [
            new HandwrittenSet("photos", "/data/handwritten-digits/photos", [new("3.png", "3", "3", 0.97), new("7.png", "7", "1", 0.61)]),
            new HandwrittenSet("drawn", "/data/handwritten-digits/drawn", [new("0.png", "0", "0", 0.99)]),
        ]);
        File.WriteAllText(run.Figure(FigureFiles.HandwrittenJson), System.Text.Json.JsonSerializer.Serialize(results, RunFiles.Json));
        var digits = Enumerable.Range(0, 3).Select(i => new Figures.HandwrittenDigit(Synthetic.Digit(i), null, $"{i}", $"{i}", 0.9)).ToList();
        Figures.HandwrittenFigure.Save(run.Figure(FigureFiles.Handwritten), [("photos", digits)]);
        var result = ReportWriter.Write(new ReportContext(temp.Path), ReportSections.Discover());
        string html = File.ReadAllText(result.Path);
        Has(html, "<section id=\"digits-handwritten\">");
        Has(html, "(6_handwritten_digits.png)");
        Has(html, "<td>2 of 3</td>");
        Has(html, "7.png: 1 (61%)");
        Assert.AreEqual(FigureFiles.Examine.Length + 1, result.Images);
        Assert.IsLessThan(html.IndexOf("id=\"digits-filters\"", StringComparison.Ordinal), html.IndexOf("id=\"digits-handwritten\"", StringComparison.Ordinal));
    }

    [TestMethod]
    public void AMissingFigureLeavesANoteSayingHowToMakeIt()
    {
        using var temp = new TempDir();
        SyntheticRun.Write(temp.Path, figures: false);
        var result = ReportWriter.Write(new ReportContext(temp.Path), ReportSections.Discover());
        string html = File.ReadAllText(result.Path);
        Assert.AreEqual(0, result.Images);
        Has(html, $"{FigureFiles.LossCurves} is not there: make it with: mlp examine {temp.Path}");
    }

    [TestMethod]
    public void ABrokenFileSpoilsOnlyItsSection()
    {
        using var temp = new TempDir();
        var run = SyntheticRun.Write(temp.Path);
        File.WriteAllText(run.File("test_metrics.csv"), "epoch,loss\n1,0.5\n");
        var result = ReportWriter.Write(new ReportContext(temp.Path), ReportSections.Discover());
        Assert.HasCount(1, result.Problems);
        Assert.Contains("test_metrics.csv: expected the header", result.Problems[0]);
        string html = File.ReadAllText(result.Path);
        Has(html, "This section could not be written");
        Has(html, "<section id=\"digits-errors\">");
    }

    [TestMethod]
    public void AFolderWithoutResultsHasNothingToReport()
    {
        using var temp = new TempDir();
        var context = new ReportContext(temp.Path);
        Assert.IsNull(context.Digits);
        Assert.IsFalse(context.HasResults);
        var sections = ReportSections.Discover().Where(s => s.AppliesTo(context)).Select(s => s.Id).ToList();
        CollectionAssert.AreEqual(new[] { "run" }, sections);
    }

    [TestMethod]
    public void ASectionIsAddedByWritingAClass()
    {
        using var temp = new TempDir();
        SyntheticRun.Write(temp.Path, figures: false);
        Directory.CreateDirectory(Path.Combine(temp.Path, "greek"));
        var sections = ReportSections.Discover(typeof(ReportTests).Assembly);
        Assert.IsTrue(sections.Any(s => s is GreekStandInSection), "the test assembly's section was not found");
        CollectionAssert.AreEqual(sections.OrderBy(s => s.Order).Select(s => s.Id).ToList(), sections.Select(s => s.Id).ToList(), "not in order");
        string html = File.ReadAllText(ReportWriter.Write(new ReportContext(temp.Path), sections).Path);
        Has(html, "<section id=\"greek-standin\">");
        Has(html, "3 Greek letters");
        Assert.IsLessThan(html.IndexOf("<section id=\"greek-standin\">", StringComparison.Ordinal), html.IndexOf("<section id=\"digits-errors\">", StringComparison.Ordinal));
    }

    [TestMethod]
    public void TheBuiltInSectionsAreAllFound()
    {
        var ids = ReportSections.Discover().Select(s => s.Id).ToList();
        // In page order: the run, then the digit sections with the handwritten one (6) between 4-5 and 7.
        var expected = DigitSections.Prepend("run").ToList();
        expected.Insert(expected.IndexOf("digits-filters"), "digits-handwritten");
        CollectionAssert.AreEqual(expected, ids.Where(id => id == "run" || id.StartsWith("digits-")).ToList());
        Assert.IsTrue(ReportSections.Discover().Any(s => s is FiltersSection));
    }

    [TestMethod]
    public void TextIsEncoded()
    {
        var doc = new HtmlDocument().Paragraph("<script>alert(1)</script> & more").Table(["<b>"], [["a<b"]]);
        string html = doc.ToString();
        Assert.DoesNotContain("<script>", html);
        Has(html, "&lt;script&gt;");
        Has(html, "a&lt;b");
    }

    // Not Assert.Contains: its failure message would print the whole page with its images.
    private static void Has(string html, string part) => Assert.IsTrue(html.Contains(part, StringComparison.Ordinal), $"report lacks: {part}");

    [GeneratedRegex("(src|href)=\"(https?:|//|file:)", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideReference();
}

/// <summary>What a later stage's section looks like: applies when its folder is in the run.</summary>
public sealed class GreekStandInSection : IReportSection
{
    public string Id => "greek-standin";
    public string Title => "Greek letters (test stand-in)";
    public int Order => 200;
    public bool AppliesTo(ReportContext context) => context.StageFolder("greek") is not null;
    public void Write(ReportContext context, HtmlDocument html) => html.Paragraph("3 Greek letters");
}
