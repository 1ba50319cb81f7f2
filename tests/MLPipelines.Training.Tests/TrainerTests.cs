using MLPipelines.Core.Imaging;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using static TorchSharp.torch;

namespace MLPipelines.Training.Tests;

[TestClass]
public sealed class TrainerTests
{
    private static TensorDataset? train;
    private static TensorDataset? test;

    [ClassInitialize]
    public static void LoadMnist(TestContext _)
    {
        if (TestData.Root is null) return;
        train = new TensorDataset(IdxDatasetLoader.Load(KnownDatasets.Mnist, TestData.Mnist, DataSplit.Train), Normalization.Mnist);
        test = new TensorDataset(IdxDatasetLoader.Load(KnownDatasets.Mnist, TestData.Mnist, DataSplit.Test), Normalization.Mnist);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        train?.Dispose();
        test?.Dispose();
    }

    private static readonly TrainingOptions Small = new()
    {
        Epochs = 2, TrainLimit = 1_500, TestLimit = 500, Threads = 2, Seed = 11, LogInterval = 5,
    };

    private static (DigitNet Model, TrainingOutcome Outcome) TrainFresh(TrainingOptions options, string? checkpoints = null,
        ITrainingObserver? observer = null, CancellationToken cancel = default)
    {
        TestData.RequireRoot();
        manual_seed(options.Seed);
        var model = new DigitNet();
        using var trainer = new DigitTrainer(model, options, train!, test!, checkpoints, observer);
        return (model, trainer.Run(cancel));
    }

    private static void AssertSameWeights(DigitNet a, DigitNet b)
    {
        var pa = a.named_parameters().ToList();
        var pb = b.named_parameters().ToList();
        Assert.AreEqual(pa.Count, pb.Count);
        for (int i = 0; i < pa.Count; i++)
            Assert.IsTrue(pa[i].parameter.equal(pb[i].parameter).all().item<bool>(), $"{pa[i].name} differs");
    }

    [TestMethod]
    [RequiresData]
    [TestCategory("slow")]
    public void SameSeedAndThreadsGiveBitIdenticalWeights()
    {
        var (a, _) = TrainFresh(Small);
        var (b, _) = TrainFresh(Small);
        using (a) using (b) AssertSameWeights(a, b);

        var (c, _) = TrainFresh(Small with { Seed = 12 });
        using (c)
        using (var d = TrainFresh(Small).Model)
            Assert.IsFalse(c.parameters().First().equal(d.parameters().First()).all().item<bool>(), "another seed gives other weights");
    }

    [TestMethod]
    [RequiresData]
    [TestCategory("slow")]
    public void ResumingAfterCtrlCReachesTheUninterruptedResult()
    {
        using var dir = new TempDir();
        var (reference, full) = TrainFresh(Small);

        // Stop in the middle of the second epoch, as Ctrl+C would.
        using var cancel = new CancellationTokenSource();
        var stopper = new StopAt(epoch: 2, batch: 7, cancel);
        var (interrupted, outcome) = TrainFresh(Small, dir.Path, stopper, cancel.Token);
        interrupted.Dispose();
        Assert.IsFalse(outcome.Completed);
        Assert.AreEqual(2, outcome.State.Epoch);
        Assert.AreEqual(8, outcome.State.NextBatch);

        manual_seed(999);   // the checkpoint, not the global seed, must decide what happens next
        using var resumed = new DigitNet();
        using (var trainer = new DigitTrainer(resumed, Small, train!, test!, dir.Path))
        {
            trainer.Restore(Path.Combine(dir.Path, "last" + Checkpoint.Extension));
            var done = trainer.Run();
            Assert.IsTrue(done.Completed);
            CollectionAssert.AreEqual(full.State.History.Train.Select(p => p.Loss).ToArray(), done.State.History.Train.Select(p => p.Loss).ToArray());
            Assert.AreEqual(full.State.ExamplesSeen, done.State.ExamplesSeen);
        }
        using (reference) AssertSameWeights(reference, resumed);
    }

    [TestMethod]
    [RequiresData]
    [TestCategory("slow")]
    public void ResumingFromAnEpochCheckpointReachesTheSameResult()
    {
        using var dir = new TempDir();
        var (reference, _) = TrainFresh(Small, dir.Path);
        using var resumed = new DigitNet();
        using (var trainer = new DigitTrainer(resumed, Small, train!, test!))
        {
            trainer.Restore(Path.Combine(dir.Path, "epoch-01" + Checkpoint.Extension));
            Assert.AreEqual(2, trainer.State.Epoch);
            trainer.Run();
        }
        using (reference) AssertSameWeights(reference, resumed);
    }

    [TestMethod]
    public void RecordsCurvesAgainstExamplesSeen()
    {
        var (model, outcome) = TrainFresh(Small);
        model.Dispose();
        var h = outcome.State.History;
        Assert.AreEqual(3, h.Test.Count, "before training and after each epoch");
        Assert.AreEqual(0, h.Test[0].ExamplesSeen);
        Assert.AreEqual(3_000, h.Test[2].ExamplesSeen);
        // 24 batches of 64 per epoch (1,500 images), a point every 5 batches: 0, 5, ..., 20.
        Assert.AreEqual(10, h.Train.Count);
        Assert.AreEqual(1_500 + 5 * 64, h.Train[6].ExamplesSeen);
        StringAssert.StartsWith(h.TrainCsv(), "examples_seen,epoch,batch,loss\n0,1,0,");
        Assert.IsTrue(h.Test[2].Loss < h.Test[0].Loss);
    }

    [TestMethod]
    public void RestoringACheckpointOfAnotherNetworkIsRefused()
    {
        using var dir = new TempDir();
        TrainFresh(Small with { Epochs = 1 }, dir.Path).Model.Dispose();
        using var other = new DigitNet(new DigitNetOptions { KernelSize = 4 });
        using var trainer = new DigitTrainer(other, Small, train!, test!);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => trainer.Restore(Path.Combine(dir.Path, "last.ckpt")));
        StringAssert.Contains(e.Message, "differs");
    }

    [TestMethod]
    [TestCategory("slow")]
    public void OneEpochOnRealMnistPasses95Percent()
    {
        var options = Recipes.Tuned with { Epochs = 1, Threads = 2, Seed = 1 };
        var (model, outcome) = TrainFresh(options);
        model.Dispose();
        double accuracy = outcome.State.History.Test[^1].Accuracy;
        Console.WriteLine($"one epoch, tuned recipe: {accuracy:P2}");
        Assert.IsTrue(accuracy >= 0.95, $"accuracy {accuracy:P2}");
    }

    private sealed class StopAt(int epoch, int batch, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnBatch(BatchReport r)
        {
            if (r.Epoch == epoch && r.Batch == batch) cancel.Cancel();
        }
    }
}
