using MLPipelines.Data;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Tests.Support;

namespace MLPipelines.Sweeps.Tests;

/// <summary>A study of the Greek transfer: the same engine and tuners, another trial runner.</summary>
[TestClass]
[RequiresData("greek")]
public sealed class GreekTrialRunnerTests
{
    [TestMethod]
    [TestCategory("slow")]
    public void AStudyOfTheTransferScoresEachApproachOnTheValidationLetters()
    {
        using var dir = new TempDir();
        string greek = Path.Combine(TestData.RequireRoot(), "greek");
        var config = new StudyDefinition
        {
            Name = "letters", Trainer = "greek-transfer", TrainFolder = Path.Combine(greek, "train"), ValidationFolder = Path.Combine(greek, "test"),
            Tuner = "grid", Space = "approach=0,2;augment=0,5", Epochs = 15, Seed = 2,
        }.ToConfig();
        Assert.AreEqual("greek-transfer", config.Trainer);
        using var storage = new SqliteStudyStorage(dir.File("study.db"));
        var result = StudyOptimizer.Optimize(new StudyOptimizeOptions
        {
            Storage = storage, Study = config, Folder = dir.File("study"), Runner = c => TrialRunners.ForStudy(c, DataLocation.Resolve(null), threads: 2),
        });
        Assert.AreEqual(StudyOutcome.Finished, result.Outcome);
        var trials = result.Study.Trials;
        Assert.AreEqual(4, trials.Count);
        foreach (var t in trials)
        {
            Assert.AreEqual(TrialState.Complete, t.State, t.Error);
            Assert.IsNotNull(t.Accuracy);
            Console.WriteLine(t.Describe());
        }
        // 36 letters of other people: the assignment's frozen transfer reads most of them, the best approach nearly all.
        Assert.IsGreaterThanOrEqualTo(0.8, result.Study.Best!.Accuracy!.Value, result.Study.Best.Describe());
        Assert.IsTrue(File.Exists(Path.Combine(dir.File("study"), "report", "sweep.md")) || result.Report is not null, "the study's report");
    }

    [TestMethod]
    public void ParametersTheTransferDoesNotKnowAreOneClearError()
    {
        string greek = Path.Combine(TestData.RequireRoot(), "greek");
        var e = Assert.ThrowsExactly<ArgumentException>(() => new StudyDefinition
        {
            Name = "bad", Trainer = "greek-transfer", TrainFolder = Path.Combine(greek, "train"), Space = "kernel=4,5",
        }.ToConfig());
        StringAssert.Contains(e.Message, "the Greek transfer knows: approach");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => new StudyDefinition { Name = "bad", Trainer = "greek-transfer" }.ToConfig());
        StringAssert.Contains(missing.Message, "--train DIR");
    }
}
