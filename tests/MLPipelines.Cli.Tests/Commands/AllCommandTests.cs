using System.Text.RegularExpressions;
using MLPipelines.Cli.Commands;
using MLPipelines.Core.Runs;
using MLPipelines.Tests.Support;
using SkiaSharp;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary><c>mlp all</c> end to end on a small part of MNIST: every figure made, sized and drawn, and the report.</summary>
[TestClass]
public sealed class AllCommandTests
{
    [TestMethod]
    [RequiresData("animals")]
    [RequiresData("greek")]
    [TestCategory("slow")]
    public void AllOnAFolderDataSetTrainsItAndLeavesTheDigitOnlyStagesOut()
    {
        using var dir = new TempDir();
        string set = dir.File("bars");
        IdxFiles.WriteDataset(set, classes: 3);
        var (code, output, errors) = CliRunner.Mlp("all", "--dataset", set, "--classes", "low,middle,high", "--data", TestData.RequireRoot(),
            "--runs", dir.File("runs"), "--epochs", "1", "--threads", "1", "--skip", "greek", "sweep", "animals");
        Assert.AreEqual(0, code, output + errors);
        string folder = Directory.GetDirectories(dir.File("runs")).Single();
        var log = StageLog.Read(folder)!;
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "digits").Status);
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "examine").Status);
        StringAssert.Contains(log.Stages.Single(s => s.Name == "handwritten").Detail, "not on digits");
        using var model = MLPipelines.Prediction.ImageClassifier.Load(Path.Combine(folder, "digits", "model.zip"));
        CollectionAssert.AreEqual(new[] { "low", "middle", "high" }, model.Classes.ToArray());
        Assert.IsTrue(File.Exists(Path.Combine(folder, "report.html")));
    }

    [TestMethod]
    [RequiresData("animals")]
    [RequiresData("greek")]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void AllOnASmallSubsetMakesEveryFigureAndTheReport()
    {
        string data = TestData.RequireRoot();
        using var runs = new TempDir();
        var (code, output, errors) = CliRunner.Mlp("all", "--data", data, "--runs", runs.Path, "--epochs", "1", "--train-limit", "3000",
            "--test-limit", "1000", "--threads", "2", "--log-interval", "5", "--skip", "sweep", "animals");
        Assert.AreEqual(0, code, output + errors);

        string folder = Directory.GetDirectories(runs.Path).Single();
        StringAssert.EndsWith(folder, "-all");
        var log = StageLog.Read(folder)!;
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "digits").Status);
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "examine").Status);
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "handwritten").Status, "the shared data has handwritten-digits/");
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "greek").Status, "the shared data has greek/");
        // The sweep and animals stages have their own end-to-end test (MLPipelines.Animals.Tests, AllStagesTests).
        Assert.AreEqual("left out by --skip", log.Stages.Single(s => s.Name == "animals").Detail);
        Assert.IsGreaterThan(0.0, log.TotalSeconds);

        var digits = new DigitRunFiles(Path.Combine(folder, "digits"));
        Assert.IsTrue(File.Exists(digits.File("model.zip")), "the run's ML.NET model");
        // Size: fixed for the charts; for the grids the height is fixed and the width at least the grid's.
        AssertFigure(digits.Figure(FigureFiles.TrainingDigits), minWidth: 3 * 164, height: 44 + 2 * 176 + 12);
        AssertFigure(digits.Figure(FigureFiles.NetworkSummary), 760, 50 + 30 * 7 + 10 + 30 * 3 + 24);
        AssertFigure(digits.Figure(FigureFiles.LossCurves), 1000, 600);
        AssertFigure(digits.Figure(FigureFiles.TestPredictions), minWidth: 3 * 164, height: 44 + 3 * 176 + 36 + 12);
        AssertFigure(digits.Figure(FigureFiles.Filters), 1080, 44 + 3 * 270);
        AssertFigure(digits.Figure(FigureFiles.FilterEffects), minWidth: 4 * 144, height: 44 + 5 * 156 + 12);
        AssertFigure(digits.Figure(FigureFiles.ConfusionMatrix), 820, 720);
        AssertFigure(digits.Figure(FigureFiles.ConfidentMistakes), minWidth: 6 * 154, height: 44 + 2 * 166 + 36 + 12);
        // Figure 6: one row of 10 per set (photos, drawn, small) under a title, over the score.
        int sets = Directory.GetDirectories(Path.Combine(data, "handwritten-digits")).Length;
        AssertFigure(digits.Figure(FigureFiles.Handwritten), width: 10 * 134, height: 48 + sets * (44 + 24 + 110 + 12 + 12) + 40);
        var handwritten = RunFiles.ReadJson<HandwrittenResults>(digits.Figure(FigureFiles.HandwrittenJson));
        Assert.AreEqual(sets * 10, handwritten.Count);

        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        // Greek letters: two approaches (a training curve and a grid of test letters each) and the training letters.
        int greekFigures = 2 * 2 + 1;
        Assert.AreEqual(FigureFiles.Examine.Length + 1 + greekFigures, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
        foreach (string id in new[] { "run", "digits-data", "digits-handwritten", "digits-network", "digits-training", "digits-predictions", "digits-filters", "digits-filter-effects", "digits-errors", "greek" })
            AssertHas(html, $"<section id=\"{id}\">");
        AssertHas(html, "correct label");
        AssertHas(html, "mlp all --data " + data + " --runs " + runs.Path + " --epochs 1 --train-limit 3000");
        Assert.Contains("report: ", output);
    }

    [TestMethod]
    public void AnUnknownStageIsAnErrorBeforeAnythingIsMade()
    {
        using var runs = new TempDir();
        AssertFails(CliRunner.Mlp("all", "--runs", runs.Path, "--skip", "nosuch"), "unknown stage 'nosuch'");
        Assert.IsEmpty(Directory.GetDirectories(runs.Path));
    }

    [TestMethod]
    public void ReportOfAMissingFolderIsOneLine() =>
        AssertFails(CliRunner.Mlp("report", "/nonexistent/run"), "run folder not found: /nonexistent/run");

    [TestMethod]
    public void ReportOfAFolderWithoutResultsIsOneLine()
    {
        using var empty = new TempDir();
        AssertFails(CliRunner.Mlp("report", empty.Path), "holds no results to report");
        Assert.IsFalse(File.Exists(empty.File("report.html")));
    }

    [TestMethod]
    public void ExamineOfAFolderWithoutResultsIsOneLine()
    {
        using var empty = new TempDir();
        AssertFails(CliRunner.Mlp("examine", empty.Path), "holds no training results");
    }

    [TestMethod]
    public void TheNewCommandsAreThere()
    {
        var root = MLPipelines.Cli.Program.BuildRoot();
        foreach (string name in new[] { "all", "examine", "report" })
            Assert.IsTrue(root.Subcommands.Any(c => c.Name == name), name);
        Assert.IsNotNull(AllCommand.Create());
    }

    private static void AssertFails((int Code, string Out, string Error) run, string message)
    {
        Assert.AreEqual(1, run.Code, run.Out + run.Error);
        CliRunner.AssertOneErrorLine(run.Error, message);
    }

    // Not Assert.Contains: its failure message would print the whole page with its images.
    private static void AssertHas(string html, string part) => Assert.IsTrue(html.Contains(part, StringComparison.Ordinal), $"report lacks: {part}");

    private static void AssertFigure(string path, int width = 0, int height = 0, int minWidth = 0)
    {
        Assert.IsTrue(File.Exists(path), $"{Path.GetFileName(path)} not made");
        using var bitmap = SKBitmap.Decode(path);
        Assert.IsNotNull(bitmap, path);
        if (width > 0) Assert.AreEqual(width, bitmap.Width, $"{Path.GetFileName(path)} width");
        if (minWidth > 0) Assert.IsGreaterThanOrEqualTo(minWidth, bitmap.Width, $"{Path.GetFileName(path)} width");
        Assert.AreEqual(height, bitmap.Height, $"{Path.GetFileName(path)} height");
        // Not blank: the luminance varies (a blank image has spread 0).
        double sum = 0, squares = 0;
        int n = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                double l = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += l;
                squares += l * l;
                n++;
            }
        double spread = Math.Sqrt(squares / n - sum / n * (sum / n));
        Assert.IsGreaterThan(20.0, spread, $"{Path.GetFileName(path)} looks blank");
    }
}
