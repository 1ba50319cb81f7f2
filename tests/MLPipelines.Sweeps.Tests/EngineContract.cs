using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Tests.Support;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;
using MLPipelines.Tests.Support;

namespace MLPipelines.Sweeps.Tests;

/// <summary>
/// What every storage must do for the engine, run against SQLite and PostgreSQL: concurrent workers (each with its own
/// storage object, as separate processes have) never run a trial twice; successive halving finds the best with a
/// third of the grid's epochs; Ctrl+C and dead workers lose nothing. The runner is <see cref="FakeRunner"/>.
/// </summary>
public abstract class EngineContract
{
    protected abstract IStudyStorage OpenStorage();
    protected abstract string NewStudy(string prefix);

    private static StudyConfig Config(string name, string tuner, int epochs, string? space = null) =>
        new() { Name = name, Tuner = tuner, Epochs = epochs, Space = space ?? SearchSpace.Assignment.ToString() };

    private static WorkerOptions Fast => new() { PollInterval = TimeSpan.FromMilliseconds(50), HeartbeatInterval = TimeSpan.FromMilliseconds(200) };

    [TestMethod]
    [TestCategory("slow")]
    public void TwoWorkersRunEveryGridTrialExactlyOnce()
    {
        string name = NewStudy("grid2");
        using var setup = OpenStorage();
        var tuner = Experiment.Prepare(setup, Config(name, "grid", 2));
        var runner = new FakeRunner(millisecondsPerEpoch: 10);
        var summaries = new WorkerSummary[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            using var own = OpenStorage();
            summaries[i] = new StudyWorker(own, name, tuner, runner, Fast).Run();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var study = setup.Load(name);
        Assert.AreEqual(50, study.Count(TrialState.Complete));
        Assert.IsTrue(study.Trials.All(t => t.Attempts == 1), "a trial was claimed twice");
        Assert.AreEqual(100, runner.Trained.Count);
        Assert.AreEqual(100, runner.Trained.Distinct().Count(), "an epoch was trained twice");
        Assert.AreEqual(50, summaries.Sum(s => s.Trials));
        Assert.IsTrue(summaries.All(s => s.Trials > 0 && s.StudyFinished), "both workers should have worked and seen the study finish");
        Assert.AreEqual(2, study.Trials.Select(t => t.Worker).Distinct().Count());
    }

    [TestMethod]
    public void SuccessiveHalvingFindsTheGridsBestWithAThirdOfItsEpochs()
    {
        string name = NewStudy("asha");
        using var storage = OpenStorage();
        var runner = new FakeRunner();
        var summary = new Experiment(storage).SetStudy(Config(name, "asha", 9)).SetTrialRunner(runner).SetWorkerOptions(Fast).Run();
        Assert.IsTrue(summary.StudyFinished);

        var study = storage.Load(name);
        var gridBest = SearchSpace.Assignment.Grid().MaxBy(p => FakeRunner.Accuracy(p, 9))!;
        Assert.AreEqual(gridBest, study.Best!.Parameters);
        Assert.AreEqual(50, study.Trials.Count);
        Assert.IsTrue(study.EpochsTrained <= 50 * 9 / 3, $"{study.EpochsTrained} epochs");
        Assert.AreEqual(study.EpochsTrained, runner.Trained.Count);
        Assert.AreEqual(runner.Trained.Count, runner.Trained.Distinct().Count(), "a promoted trial must resume, not retrain");
        Assert.IsTrue(study.Count(TrialState.Complete) >= 5, "at least floor(floor(50/3)/3) reach the top rung");
        Assert.AreEqual(50, study.Count(TrialState.Complete) + study.Count(TrialState.Pruned));
        Assert.IsTrue(study.Trials.Where(t => t.State == TrialState.Pruned).All(t => t.EpochsDone is 1 or 3));
    }

    [TestMethod]
    public void AStoppedTrialGoesBackToTheQueueAndResumesWhereItStopped()
    {
        string name = NewStudy("stop");
        using var storage = OpenStorage();
        var config = Config(name, "grid", 3, "dropout=0.3,0.5;batch=40,80;kernel=5");
        using var stop = new CancellationTokenSource();
        var runner = new FakeRunner { StopAfterEpochs = 5, StopSource = stop };
        var first = new Experiment(storage).SetStudy(config).SetTrialRunner(runner).SetWorkerOptions(Fast).Run(stop.Token);
        Assert.IsTrue(first.Interrupted);
        var stopped = storage.Load(name);
        Assert.AreEqual(1, stopped.Count(TrialState.Complete));
        var released = stopped.Trials.Single(t => t.Number == 1);
        Assert.AreEqual(TrialState.Waiting, released.State, "the interrupted trial is queued again");
        Assert.AreEqual(2, released.EpochsDone, "its finished epochs are kept");
        Assert.IsNull(released.Worker);

        runner.StopAfterEpochs = 0;
        var second = new Experiment(storage).SetStudy(config).SetTrialRunner(runner).SetWorkerOptions(Fast).Run();
        Assert.IsTrue(second.StudyFinished);
        Assert.AreEqual(4, storage.Load(name).Count(TrialState.Complete));
        CollectionAssert.Contains(runner.Starts.ToList(), (1, 2), "trial 1 resumed after epoch 2");
        Assert.AreEqual(12, runner.Trained.Count);
        Assert.AreEqual(12, runner.Trained.Distinct().Count());
    }

    [TestMethod]
    public void ADeadWorkersTrialIsRequeuedAfterTheHeartbeatTimeout()
    {
        string name = NewStudy("dead");
        using var storage = OpenStorage();
        var tuner = Experiment.Prepare(storage, Config(name, "grid", 2, "dropout=0.3,0.5;batch=40;kernel=5"));
        const string elsewhere = "another-machine/4242/abcdef";
        var claimed = (Claim.Work)storage.Claim(name, elsewhere, tuner, TimeSpan.FromHours(1));
        Assert.IsTrue(storage.SaveEpoch(name, claimed.Trial.Number, elsewhere, new EpochRecord(0, 0.1, 2.3, double.NaN, 0), null, new(0, 0, 0, 1)));
        Assert.IsTrue(storage.SaveEpoch(name, claimed.Trial.Number, elsewhere, new EpochRecord(1, 0.5, 1, 1, 1), BitConverter.GetBytes(1), new(1, 1, 1, 1)));
        Assert.AreEqual(0, storage.RequeueStale(name, TimeSpan.FromHours(1)), "a fresh heartbeat is alive");

        Thread.Sleep(1500);
        var runner = new FakeRunner();
        var summary = new StudyWorker(storage, name, tuner, runner, Fast with { StaleAfter = TimeSpan.FromSeconds(1) }).Run();
        Assert.IsTrue(summary.StudyFinished);
        var study = storage.Load(name);
        Assert.AreEqual(2, study.Count(TrialState.Complete));
        Assert.AreEqual(2, study.Trials.Single(t => t.Number == claimed.Trial.Number).Attempts);
        CollectionAssert.Contains(runner.Starts.ToList(), (claimed.Trial.Number, 1), "resumed from the dead worker's last epoch");
        Assert.IsFalse(storage.Finish(name, claimed.Trial.Number, elsewhere, TrialState.Complete), "the dead worker lost the trial");
        Assert.IsFalse(storage.SaveEpoch(name, claimed.Trial.Number, elsewhere, new EpochRecord(2, 0.9, 1, 1, 1), null, new(1, 1, 1, 1)));
    }

    [TestMethod]
    public void ATrialHeldByAProcessOfThisMachineThatIsGoneIsRequeuedAtOnce()
    {
        string name = NewStudy("gone");
        using var storage = OpenStorage();
        var tuner = Experiment.Prepare(storage, Config(name, "grid", 1, "dropout=0.3;batch=40;kernel=5"));
        using var exited = System.Diagnostics.Process.Start("true")!;
        exited.WaitForExit();
        string worker = $"{Environment.MachineName}/{exited.Id}/000000";
        Assert.IsInstanceOfType<Claim.Work>(storage.Claim(name, worker, tuner, TimeSpan.FromHours(1)));
        Assert.AreEqual(1, storage.RequeueStale(name, TimeSpan.FromHours(1)));
        Assert.AreEqual(TrialState.Waiting, storage.Load(name).Trials[0].State);
    }

    [TestMethod]
    public void AWorkerThatCannotLoadItsDataStopsAndGivesTheTrialBack()
    {
        string name = NewStudy("nodata");
        using var storage = OpenStorage();
        var tuner = Experiment.Prepare(storage, Config(name, "grid", 1, "dropout=0.3;batch=40;kernel=5"));
        using var runner = new LazyTrialRunner(() => throw new FileNotFoundException("train-images-idx3-ubyte(.gz) not found in /nowhere"));
        var e = Assert.ThrowsExactly<RunnerUnavailableException>(() => new StudyWorker(storage, name, tuner, runner, Fast).Run());
        StringAssert.Contains(e.Message, "not found in /nowhere");
        var trial = storage.Load(name).Trials.Single();
        Assert.AreEqual(TrialState.Waiting, trial.State, "the trial is not failed: the worker was");
        Assert.IsNull(trial.Error);
    }

    [TestMethod]
    public void AnExistingStudyIsResumedOnlyWithTheSameSettings()
    {
        string name = NewStudy("same");
        using var storage = OpenStorage();
        Experiment.Prepare(storage, Config(name, "grid", 2));
        Experiment.Prepare(storage, Config(name, "grid", 2));
        Assert.AreEqual(50, storage.Load(name).Trials.Count, "opening again queues nothing more");
        var e = Assert.ThrowsExactly<ArgumentException>(() => Experiment.Prepare(storage, Config(name, "asha", 2)));
        StringAssert.Contains(e.Message, "already exists with tuner grid (asked: asha)");
    }
}

[TestClass]
public sealed class SqliteEngineTests : EngineContract
{
    private static TempDir? dir;

    [ClassInitialize]
    public static void Create(TestContext _) => dir = new TempDir();

    [ClassCleanup]
    public static void Remove() => dir?.Dispose();

    protected override IStudyStorage OpenStorage() => new SqliteStudyStorage(dir!.File("studies.db"));
    protected override string NewStudy(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}

[TestClass]
public sealed class PostgresEngineTests : EngineContract
{
    private readonly List<string> studies = [];

    protected override IStudyStorage OpenStorage() => Postgres.Open();

    protected override string NewStudy(string prefix)
    {
        string name = Postgres.UniqueStudy(prefix);
        studies.Add(name);
        return name;
    }

    [TestCleanup]
    public void DeleteStudies()
    {
        if (studies.Count == 0) return;
        using var storage = Postgres.Open();
        foreach (string s in studies) storage.Delete(s);
    }
}
