using System.CommandLine;
using System.Text.RegularExpressions;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Stages;
using MLPipelines.Data;
using MLPipelines.Models;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Reporting;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Tests.Support;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using Spectre.Console;

namespace MLPipelines.Sweeps.Tests;

/// <summary>The sweep stage of <c>mlp all</c> and the report's sweep section, on a tiny one-factor study (300 images, 1 epoch).</summary>
[TestClass]
public sealed class SweepStageTests
{
    private static StageContext Context(string runs, string data, SweepStage stage, params string[] args)
    {
        var command = new RootCommand();
        foreach (var option in stage.Options) command.Add(option);
        return new StageContext
        {
            Run = RunFolder.Create(runs, "all"),
            Data = new DataLocation(data, "test"),
            Parse = command.Parse(args),
            Training = new TrainingOptions { TrainLimit = 300, TestLimit = 300 },
            Model = new DigitNetOptions(),
            CommandLine = "mlp all (test)",
        };
    }

    [TestMethod]
    public void WithoutMnistTheStageIsSkippedSayingHowToGetIt()
    {
        using var empty = new TempDir();
        var stage = new SweepStage();
        Assert.IsFalse(stage.CanRun(Context(empty.Path, empty.Path, stage), out string reason));
        StringAssert.StartsWith(reason, $"MNIST is not in {Path.Combine(empty.Path, "mnist")}");
        StringAssert.Contains(reason, "mlp data");
        Assert.AreEqual(300, stage.Order, "after the digits (100-199) and Greek letters (200)");
    }

    [TestMethod]
    [RequiresData]
    [TestCategory("slow")]
    public void TheStageRunsTheOneFactorTableResumesItAndTheSectionShowsIt()
    {
        string data = TestData.RequireRoot();
        using var runs = new TempDir();
        var stage = new SweepStage();
        var context = Context(runs.Path, data, stage, "--sweep-workers", "1");
        Assert.IsTrue(stage.CanRun(context, out _));

        var (status, _) = Capture(() => stage.Run(context));
        Assert.AreEqual(StageStatus.Done, status);
        string folder = context.Run.File("sweep/ofat");
        Study study;
        using (var storage = new SqliteStudyStorage(Path.Combine(folder, "study.db")))
            study = storage.Load("ofat");
        // The assignment's table: the base point, then dropout x4, batch x4 and kernel x1 moved alone.
        Assert.AreEqual(10, study.Count(TrialState.Complete));
        Assert.AreEqual(10, study.EpochsTrained);
        Assert.AreEqual(300, study.Config.TrainLimit);
        Assert.IsTrue(File.Exists(Path.Combine(folder, "report", "sweep.md")), "the study's own report");

        // Run again on the same run folder: the finished study is resumed, nothing is trained twice.
        var (again, output) = Capture(() => stage.Run(context));
        Assert.AreEqual(StageStatus.Done, again);
        StringAssert.Contains(output, $"sweep: resuming the study in {folder}");
        using (var storage = new SqliteStudyStorage(Path.Combine(folder, "study.db")))
            Assert.AreEqual(10, storage.Load("ofat").EpochsTrained);

        var report = ReportWriter.Write(new ReportContext(context.Run.Path), [new SweepReportSection()]);
        CollectionAssert.AreEqual(new[] { "sweep" }, report.Sections.ToArray());
        Assert.IsEmpty(report.Problems);
        string html = File.ReadAllText(report.Path);
        foreach (string part in new[]
                 {
                     "Accuracy and time by dropout (others at the base point", "Accuracy and time by batch", "Accuracy and time by kernel",
                     "<th>accuracy before</th><th>accuracy after</th>", "<th>train s / epoch</th>", "<strong>Best trial</strong>: trial ",
                     "The assignment&#39;s hypotheses", "Does accuracy fall as batch size grows?", "Is kernel size 4 slower than 5?",
                     $"mlp sweep run --study ofat --tuner ofat --epochs 1 --train-limit 300 --test-limit 300 --out {folder}",
                 })
            Assert.IsTrue(html.Contains(part, StringComparison.Ordinal), $"the section lacks: {part}");
        // Accuracy against each factor, time against kernel size, accuracy by epoch, history, importances, parallel coordinates.
        Assert.AreEqual(8, report.Images);
        Assert.AreEqual(8, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
    }

    /// <summary>Runs <paramref name="action"/> with the console (and Spectre.Console's) captured.</summary>
    private static (T Result, string Output) Capture<T>(Func<T> action)
    {
        TextWriter stdout = Console.Out;
        var spectre = AnsiConsole.Console;
        using var o = new StringWriter();
        Console.SetOut(o);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(o) });
        try
        {
            return (action(), o.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            AnsiConsole.Console = spectre;
        }
    }
}
