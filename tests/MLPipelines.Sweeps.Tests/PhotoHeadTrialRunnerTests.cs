using MLPipelines.Data;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Tests.Support;

namespace MLPipelines.Sweeps.Tests;

/// <summary>A study of the photo heads: the same engine and tuners, heads on cached ResNet18 features.</summary>
[TestClass]
[RequiresData("animals")]
public sealed class PhotoHeadTrialRunnerTests
{
    [TestMethod]
    [TestCategory("slow")]
    public void AStudyOfTheHeadsScoresEachOnTheValidationPhotos_AndTheFeaturesAreCached()
    {
        using var dir = new TempDir();
        string bees = Path.Combine(TestData.RequireRoot(), "animals", "hymenoptera");
        var config = new StudyDefinition
        {
            Name = "bees", Trainer = "photo-heads", TrainFolder = Path.Combine(bees, "train"), ValidationFolder = Path.Combine(bees, "val"),
            Tuner = "grid", Space = "head=0,1,2;augment=0;epochs=20", Seed = 2,
        }.ToConfig();
        using var storage = new SqliteStudyStorage(dir.File("study.db"));
        var result = StudyOptimizer.Optimize(new StudyOptimizeOptions
        {
            Storage = storage, Study = config, Folder = dir.File("study"),
            Runner = c => TrialRunners.ForStudy(c, DataLocation.Resolve(null), threads: 2, featureCache: dir.File("cache")),
        });
        Assert.AreEqual(StudyOutcome.Finished, result.Outcome);
        Assert.HasCount(3, result.Study.Trials);
        foreach (var t in result.Study.Trials)
        {
            Assert.AreEqual(TrialState.Complete, t.State, t.Error);
            Console.WriteLine(t.Describe());
            // 153 photos of other ants and bees: each head reads nine in ten or more (L-BFGS got 95.4 % in mlp animals train).
            Assert.IsGreaterThanOrEqualTo(0.9, t.Accuracy!.Value, t.Describe());
        }
        Assert.HasCount(1, Directory.GetFiles(dir.File("cache"), "*.features"), "one cache file for the study's photos");
    }

    [TestMethod]
    public void ParametersOfAHead_AreReadAndCheckedWithOneClearError()
    {
        var study = new StudyConfig { Name = "t", Trainer = PhotoHeadTrialRunner.Trainer, Epochs = 30 };
        var mlp = PhotoHeadTrialRunner.Configure(study, ParameterSet.Parse("head=2;augment=2;hidden=128;dropout=0.25;lr=0.002;epochs=12"));
        Assert.AreEqual("mlp", mlp.Head);
        Assert.AreEqual("full", mlp.Augment);
        Assert.AreEqual(128, mlp.Mlp.Hidden);
        Assert.AreEqual(12, mlp.Mlp.Epochs);
        StringAssert.StartsWith(mlp.ToString(), "MLP 128 units, dropout 0.25");
        var lbfgs = PhotoHeadTrialRunner.Configure(study, ParameterSet.Parse("head=0;l2=0.5;hidden=128"));
        Assert.AreEqual(0.5f, lbfgs.LbfgsL2);
        Assert.AreEqual(30, lbfgs.Mlp.Epochs, "the study's epochs");
        Assert.AreEqual("L-BFGS, L2 0.5, views none", lbfgs.ToString(), "a head's description leaves out the others' parameters");

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => PhotoHeadTrialRunner.Configure(study, ParameterSet.Parse("head=3"))).Message, "head is 0, 1 or 2");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => PhotoHeadTrialRunner.Configure(study, ParameterSet.Parse("hidden=12.5"))).Message, "whole number");
        string bees = Path.Combine(TestData.RequireRoot(), "animals", "hymenoptera", "train");
        var e = Assert.ThrowsExactly<ArgumentException>(() => new StudyDefinition { Name = "bad", Trainer = "photo-heads", TrainFolder = bees, Space = "kernel=4,5" }.ToConfig());
        StringAssert.Contains(e.Message, "the photo heads know: head");
    }

    [TestMethod]
    public void WithoutAValidationFolder_TheSameFifthAsTheTransfersIsHeldOut()
    {
        string bees = Path.Combine(TestData.RequireRoot(), "animals", "hymenoptera", "train");
        var (set, splits) = PhotoHeadTrialRunner.Photos(bees, null, seed: 4);
        var folder = Core.Datasets.ImageFolderSet.Scan(bees);
        var (_, heldOut) = folder.StratifiedSplit(0.2, 4);
        var expected = heldOut.Select(i => Path.GetFullPath(folder.Files[i].Path)).Order(StringComparer.Ordinal).ToList();
        var actual = set.Photos.Where((p, i) => splits[i] == Animals.Data.Split.Validation).Select(p => Path.GetFullPath(p.Path)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(expected, actual);
    }
}
