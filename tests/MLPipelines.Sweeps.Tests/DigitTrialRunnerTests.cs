using MLPipelines.Core.Imaging;
using MLPipelines.Data.Datasets;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Tests.Support;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Tests.Support;
using MLPipelines.Training;

namespace MLPipelines.Sweeps.Tests;

/// <summary>Real training on a small MNIST subset: what a trial records, and that a resumed trial ends exactly as an uninterrupted one.</summary>
[TestClass]
[RequiresData("mnist")]
public sealed class DigitTrialRunnerTests
{
    private static TensorDataset? train;
    private static TensorDataset? test;

    [ClassInitialize]
    public static void Load(TestContext _)
    {
        if (TestData.Root is not { } root) return;
        string mnist = Path.Combine(root, "mnist");
        train = new TensorDataset(IdxDatasetLoader.Load(KnownDatasets.Mnist, mnist, DataSplit.Train), Normalization.Mnist);
        test = new TensorDataset(IdxDatasetLoader.Load(KnownDatasets.Mnist, mnist, DataSplit.Test), Normalization.Mnist);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        train?.Dispose();
        test?.Dispose();
    }

    private sealed class Recorder : ITrialReporter
    {
        public List<(EpochRecord Record, byte[]? Checkpoint, ResourceUse Use)> Epochs { get; } = [];

        public bool ReportEpoch(EpochRecord record, byte[]? checkpoint, ResourceUse use)
        {
            Epochs.Add((record, checkpoint, use));
            return true;
        }
    }

    private static readonly StudyConfig Study = new() { Name = "real", Epochs = 2, TrainLimit = 1200, TestLimit = 500, Seed = 3 };

    private static Trial TrialTo(int epochs) => new()
    {
        Study = "real", Number = 0, State = TrialState.Running, TargetEpochs = epochs, Seed = 3,
        Parameters = ParameterSet.Parse("dropout=0.3;batch=40;kernel=4"),
    };

    [TestMethod]
    public void RecordsAccuracyBeforeAndAfterEachEpochWithTimesAndMemory()
    {
        var recorder = new Recorder();
        using var runner = new DigitTrialRunner(train!, test!, threads: 1);
        Assert.IsTrue(runner.Run(new TrialSettings(TrialTo(2), Study, null), recorder, CancellationToken.None));

        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, recorder.Epochs.Select(e => e.Record.Epoch).ToArray());
        var before = recorder.Epochs[0].Record;
        var after = recorder.Epochs[2].Record;
        Assert.IsTrue(before.TestAccuracy < 0.3, $"an untrained network is near chance ({before.TestAccuracy:P1})");
        Assert.IsTrue(after.TestAccuracy > before.TestAccuracy + 0.2, $"training helps ({before.TestAccuracy:P1} -> {after.TestAccuracy:P1})");
        Assert.IsTrue(double.IsNaN(before.TrainLoss) && after.TrainLoss is > 0 and < 2.5);
        Assert.IsNull(recorder.Epochs[0].Checkpoint);
        Assert.IsTrue(recorder.Epochs.Skip(1).All(e => e.Checkpoint is { Length: > 1000 } && e.Record.Seconds > 0));
        Assert.IsTrue(recorder.Epochs.Sum(e => e.Use.WallSeconds) > 0 && recorder.Epochs.Sum(e => e.Use.CpuSeconds) > 0);
        Assert.IsTrue(recorder.Epochs.All(e => e.Use.PeakMemoryMb > 50 && e.Use.Threads == 1));
    }

    [TestMethod]
    [TestCategory("slow")]
    public void AResumedTrialEndsExactlyWhereTheUninterruptedOneDoes()
    {
        using var runner = new DigitTrialRunner(train!, test!, threads: 1);
        var whole = new Recorder();
        runner.Run(new TrialSettings(TrialTo(2), Study, null), whole, CancellationToken.None);

        var firstRung = new Recorder();
        Assert.IsTrue(runner.Run(new TrialSettings(TrialTo(1), Study, null), firstRung, CancellationToken.None));
        Assert.AreEqual(1, firstRung.Epochs.Max(e => e.Record.Epoch), "stops at its target epochs");
        var promoted = new Recorder();
        Assert.IsTrue(runner.Run(new TrialSettings(TrialTo(2), Study, firstRung.Epochs[^1].Checkpoint), promoted, CancellationToken.None));

        Assert.AreEqual(1, promoted.Epochs.Count, "only the missing epoch is trained");
        Assert.AreEqual(whole.Epochs[2].Record.TestAccuracy, promoted.Epochs[0].Record.TestAccuracy);
        Assert.AreEqual(whole.Epochs[2].Record.TestLoss, promoted.Epochs[0].Record.TestLoss);
    }

    [TestMethod]
    public void UnknownParametersAreRefusedBeforeAnyTraining()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => DigitTrialRunner.Validate(SearchSpace.Parse("dropout=0.3;width=2,4")));
        StringAssert.StartsWith(e.Message, "unknown parameter 'width'");
        var (model, training) = DigitTrialRunner.Configure(Study, ParameterSet.Parse("dropout=0.7;batch_size=150;kernel=4;lr=0.05"), 2);
        Assert.AreEqual((0.7, 4, 150, 0.05, 2), (model.Dropout, model.KernelSize, training.BatchSize, training.LearningRate, training.Epochs));
    }
}
