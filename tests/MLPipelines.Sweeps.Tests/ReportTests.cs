using MLPipelines.Sweeps.Reporting;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Tests.Support;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Tests.Support;

namespace MLPipelines.Sweeps.Tests;

[TestClass]
public sealed class ReportTests
{
    /// <summary>A finished grid where accuracy falls with batch size, dropout barely matters, and kernel 4 is slower.</summary>
    private static Study Grid()
    {
        var trials = SearchSpace.Assignment.Grid().Select((p, i) =>
        {
            double accuracy = 0.99 - 0.0001 * p["batch"] + (i % 3) * 0.0001;
            double seconds = p["kernel"] == 4 ? 4.4 : 4.0;
            return new Trial
            {
                Study = "g", Number = i, State = TrialState.Complete, Parameters = p, TargetEpochs = 2, Seed = 1, Threads = 1,
                WallSeconds = 2 * seconds + 1, CpuSeconds = 2 * seconds * 1.5, PeakMemoryMb = 900,
                History = [new(0, 0.1, 2.3, double.NaN, 0), new(1, accuracy - 0.01, 0.2, 0.4, seconds), new(2, accuracy, 0.1, 0.3, seconds)],
            };
        }).ToList();
        return new Study(new StudyConfig { Name = "g", Epochs = 2 }, trials);
    }

    [TestMethod]
    public void AnswersTheAssignmentsQuestionsFromTheData()
    {
        var summary = new SweepSummary(Grid());
        Assert.AreEqual(3, summary.Factors.Count);
        Assert.AreEqual(5, summary.Factors["batch"].Count);
        Assert.AreEqual(10, summary.Factors["batch"][0].Trials);
        var byQuestion = summary.Hypotheses.ToDictionary(h => h.Question);
        Assert.IsTrue(byQuestion["Does accuracy fall as batch size grows?"].Holds);
        StringAssert.StartsWith(byQuestion["Does accuracy fall as batch size grows?"].Answer, "Yes");
        Assert.IsFalse(byQuestion["Does accuracy fall as dropout grows?"].Holds);
        Assert.IsTrue(byQuestion["Is kernel size 4 slower than 5?"].Holds);
        StringAssert.Contains(byQuestion["Is kernel size 4 slower than 5?"].Answer, "+10.0%");
        Assert.AreEqual(40, summary.Best!.Parameters["batch"]);
    }

    [TestMethod]
    public void TheParameterThatDrivesAccuracyIsTheMostImportant()
    {
        var importances = ParameterImportance.Of(Grid());
        CollectionAssert.AreEquivalent(new[] { "dropout", "batch", "kernel" }, importances.Select(i => i.Parameter).ToArray());
        Assert.AreEqual("batch", importances[0].Parameter, string.Join(", ", importances));
        Assert.IsGreaterThan(0.8, importances[0].Share, string.Join(", ", importances));
        Assert.AreEqual(1.0, importances.Sum(i => i.Share), 1e-9);
        Assert.IsEmpty(ParameterImportance.Of(new Study(Grid().Config, Grid().Trials.Take(5).ToList())), "too few trials to fit a surrogate");
    }

    [TestMethod]
    public void WritesMarkdownHtmlDataAndCharts()
    {
        using var dir = new TempDir();
        var files = SweepReport.Write(Grid(), dir.Path);
        Assert.AreEqual("sweep.md", Path.GetFileName(files[0]));
        Assert.AreEqual("sweep.html", Path.GetFileName(files[1]));
        foreach (string png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            var bytes = File.ReadAllBytes(png);
            Assert.IsTrue(bytes.Length > 5000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
        CollectionAssert.IsSubsetOf(new[] { "accuracy_vs_dropout.png", "accuracy_vs_batch.png", "accuracy_vs_kernel.png", "time_vs_kernel.png", "curves.png",
                "history.png", "importances.png", "parallel_coordinates.png" },
            files.Select(Path.GetFileName).ToList());
        string html = File.ReadAllText(files[1]);
        StringAssert.StartsWith(html, "<section class=\"sweep\"");
        StringAssert.Contains(html, "<img src=\"time_vs_kernel.png\"");
        string md = File.ReadAllText(files[0]);
        StringAssert.Contains(md, "| 40 | 10 | 10.00% |");
        StringAssert.Contains(md, "| 4 | 25 | 10.00% | 98.03% | 98.62% | 4.40 | 6.60 | 9.80 |");
        Assert.AreEqual(51, File.ReadAllLines(dir.File("trials.csv")).Length);
    }

    [TestMethod]
    public void AOneFactorStudyTabulatesOnlyTheTrialsThatMoveEachFactor()
    {
        var grid = Grid();
        var basePoint = SearchSpace.AssignmentBase;
        var ofat = new Study(grid.Config with { Tuner = "ofat", Base = basePoint.Key },
            grid.Trials.Where(t => t.Parameters.Equals(basePoint) || Tuners.OneFactorTuner.VariedFactor(basePoint, t.Parameters) is not null).ToList());
        Assert.AreEqual(10, ofat.Trials.Count);
        var summary = new SweepSummary(ofat);
        Assert.IsTrue(summary.Factors["batch"].All(r => r.Trials == 1));
        Assert.AreEqual(5, summary.Factors["dropout"].Count);
        Assert.AreEqual(2, summary.Factors["kernel"].Count);
    }

    [TestMethod]
    public void WritesTheSectionOfEveryLocalStudyForTheProjectReport()
    {
        using var dir = new TempDir();
        string sweeps = Path.Combine(dir.Path, "sweeps");
        using (var storage = new Storage.SqliteStudyStorage(Path.Combine(sweeps, "small", "study.db")))
            new Running.Experiment(storage)
                .SetStudy(new StudyConfig { Name = "small", Tuner = "grid", Epochs = 2, Space = "dropout=0.3,0.5;batch=40,80;kernel=4,5" })
                .SetTrialRunner(new FakeRunner()).Run();
        var written = SweepReport.WriteLocalStudies(sweeps, Path.Combine(dir.Path, "report"));
        Assert.AreEqual(1, written.Count);
        Assert.AreEqual("small", written[0].Study);
        Assert.AreEqual(Path.Combine(dir.Path, "report", "small", "sweep.html"), written[0].Files[1]);
        StringAssert.Contains(File.ReadAllText(written[0].Files[1]), "Does accuracy fall as batch size grows?");
    }
}
