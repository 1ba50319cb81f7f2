using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Commands;
using MLPipelines.Cli.Stages;
using MLPipelines.Data;
using MLPipelines.Models;
using MLPipelines.Core.Runs;
using MLPipelines.Tests.Support;
using MLPipelines.Training;

namespace MLPipelines.Cli.Tests.Stages;

/// <summary>How <c>mlp all</c> treats its stages: order, skips with a reason, failures, Ctrl+C.</summary>
[TestClass]
public sealed class StageTests
{
    private sealed class FakeStage(string name, int order, Func<StageStatus>? run = null, string? cannot = null) : IStage
    {
        public string Name => name;
        public string Description => "a test stage";
        public int Order => order;
        public bool Ran { get; private set; }

        public bool CanRun(StageContext context, out string reason)
        {
            reason = cannot ?? "";
            return cannot is null;
        }

        public StageStatus Run(StageContext context)
        {
            Ran = true;
            return run?.Invoke() ?? StageStatus.Done;
        }
    }

    private static StageContext Context(string runs) => new()
    {
        Run = RunFolder.Create(runs, "all"),
        Data = new DataLocation(runs, "test"),
        Parse = new RootCommand().Parse(""),
        Training = new TrainingOptions(),
        Model = new DigitNetOptions(),
        CommandLine = "mlp all (test)",
    };

    [TestMethod]
    public void TheRegistryHasTheDigitStagesInOrder()
    {
        var names = StageRegistry.All().Select(s => s.Name).ToList();
        Assert.IsLessThan(names.IndexOf("examine"), names.IndexOf("digits"));
        Assert.HasCount(names.Distinct().Count(), names, "stage names must be unique");
        CollectionAssert.AreEqual(StageRegistry.All().OrderBy(s => s.Order).Select(s => s.Name).ToList(), names);
    }

    [TestMethod]
    public void SkippedAndFailedStagesAreRecordedAndTheOthersStillRun()
    {
        using var runs = new TempDir();
        var context = Context(runs.Path);
        var missing = new FakeStage("greek", 1, cannot: "put folder-per-class images in DATA/greek/train (see README)");
        var failing = new FakeStage("broken", 2, () => throw new UserError("no luck"));
        var fine = new FakeStage("fine", 3);
        var left = new FakeStage("left", 4);
        var run = Capture(() => AllCommand.Run(context, [missing, failing, fine, left], ["left"]));

        Assert.AreEqual(ExitCodes.Failed, run.Code);
        Assert.IsFalse(missing.Ran);
        Assert.IsTrue(fine.Ran);
        Assert.IsFalse(left.Ran);
        Assert.Contains("greek: skipped — put folder-per-class images in DATA/greek/train (see README)", run.Output);
        Assert.Contains("error: stage broken failed: no luck", run.Errors);
        var log = StageLog.Read(context.Run.Path)!;
        CollectionAssert.AreEqual(new[] { StageStatus.Skipped, StageStatus.Failed, StageStatus.Done, StageStatus.Skipped }, log.Stages.Select(s => s.Status).ToArray());
        Assert.AreEqual("left out by --skip", log.Stages[3].Detail);
        string html = File.ReadAllText(context.Run.File("report.html"));
        Assert.Contains("put folder-per-class images in DATA/greek/train (see README)", html);
        Assert.Contains("no luck", html);
    }

    [TestMethod]
    public void CtrlCInAStageStopsTheRestAndKeepsTheReport()
    {
        using var runs = new TempDir();
        var context = Context(runs.Path);
        var stopped = new FakeStage("first", 1, () => StageStatus.Interrupted);
        var after = new FakeStage("second", 2);
        var run = Capture(() => AllCommand.Run(context, [stopped, after], []));
        Assert.AreEqual(ExitCodes.Interrupted, run.Code);
        Assert.IsFalse(after.Ran);
        var log = StageLog.Read(context.Run.Path)!;
        Assert.AreEqual(StageStatus.Interrupted, log.Stages[0].Status);
        Assert.AreEqual("not run: Ctrl+C stopped an earlier stage", log.Stages[1].Detail);
        Assert.IsTrue(File.Exists(context.Run.File("report.html")));
    }

    private static (int Code, string Output, string Errors) Capture(Func<int> action) => CliRunner.Capture(action);
}
