using System.Globalization;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Tests.Support;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Tests.Support;

namespace MLPipelines.Sweeps.Tests;

/// <summary>
/// The real command line in separate processes with real (tiny) training: a SQLite study killed with kill -9 and run
/// again; two worker processes sharing a PostgreSQL study, one of them killed with kill -9.
/// </summary>
[TestClass]
public sealed class ProcessTests
{
    private static readonly string[] Tiny = ["--epochs", "2", "--train-limit", "600", "--test-limit", "200", "--workers", "1", "--threads", "1"];

    private static void AssertEveryEpochOnce(Study study)
    {
        foreach (var t in study.Trials)
            CollectionAssert.AreEqual(Enumerable.Range(0, study.Config.Epochs + 1).ToArray(), t.History.Select(h => h.Epoch).ToArray(), $"trial {t.Number}");
    }

    [TestMethod]
    [RequiresData]
    [TestCategory("slow")]
    public void ASqliteStudyKilledWithKill9ContinuesWhenRunAgain()
    {
        string data = TestData.RequireRoot();
        using var dir = new TempDir();
        string[] run = ["sweep", "run", "--study", "killed", "--out", dir.Path, "--space", "dropout=0.3,0.5,0.7;batch=60;kernel=4,5", .. Tiny];
        using (var first = MlpProcess.Start(data, run))
        {
            MlpProcess.WaitFor(() => File.Exists(dir.File("study.db")) && Completed(dir.File("study.db")) >= 1, TimeSpan.FromSeconds(90), "a complete trial");
            first.Kill(); // SIGKILL
            first.WaitForExit();
        }
        using (var storage = new SqliteStudyStorage(dir.File("study.db")))
        {
            var killed = storage.Load("killed");
            Assert.IsTrue(killed.Count(TrialState.Complete) < 6, "killed before the end");
        }

        var (code, output) = MlpProcess.Run(data, TimeSpan.FromSeconds(90), run);
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "resuming:");
        using (var storage = new SqliteStudyStorage(dir.File("study.db")))
        {
            var study = storage.Load("killed");
            Assert.AreEqual(6, study.Count(TrialState.Complete), output);
            AssertEveryEpochOnce(study);
        }
        Assert.IsTrue(File.Exists(Path.Combine(dir.Path, "report", "sweep.md")), "the finished run writes the report");
    }

    private static int Completed(string db)
    {
        try
        {
            using var storage = new SqliteStudyStorage(db);
            return storage.Find("killed") is null ? 0 : storage.Load("killed").Count(TrialState.Complete);
        }
        catch (StorageException)
        {
            return 0;
        }
    }

    [TestMethod]
    [RequiresData]
    [TestCategory("slow")]
    public void TwoWorkerProcessesShareAPostgresStudyAndRunEveryTrialOnce()
    {
        string connection = Postgres.ConnectionString;
        string data = TestData.RequireRoot();
        string name = Postgres.UniqueStudy("workers");
        using var storage = Postgres.Open();
        try
        {
            Experiment.Prepare(storage, new StudyConfig
            {
                Name = name, Tuner = "grid", Space = "dropout=0.3,0.4,0.5,0.7;batch=60;kernel=4,5", Epochs = 2, TrainLimit = 600, TestLimit = 200,
            });
            string[] worker = ["sweep", "worker", "--storage", connection, "--study", name, "--threads", "1"];
            using var a = MlpProcess.Start(data, worker);
            using var b = MlpProcess.Start(data, worker);
            MlpProcess.WaitFor(() => storage.Load(name).Trials.Where(t => t.State == TrialState.Complete).Select(t => t.Worker).Distinct().Count() == 2,
                TimeSpan.FromSeconds(90), "a complete trial from each worker");
            a.Kill(); // SIGKILL: its trial stays 'running' until the other worker sees that the process is gone
            a.WaitForExit();
            Assert.IsTrue(b.WaitForExit(TimeSpan.FromSeconds(90)), "the surviving worker finishes the study");
            Assert.AreEqual(0, b.ExitCode);

            var study = storage.Load(name);
            Assert.AreEqual(8, study.Count(TrialState.Complete));
            AssertEveryEpochOnce(study);
            Assert.IsTrue(study.Trials.Sum(t => t.Attempts) <= 9, "only the killed worker's trial may be claimed twice");
            Assert.AreEqual(2, study.Trials.Select(t => t.Worker!.Split('/')[1]).Distinct().Count(), "both processes ran trials");

            using var dir = new TempDir();
            var (code, output) = MlpProcess.Run(data, TimeSpan.FromSeconds(60), "sweep", "report", "--storage", connection, "--study", name, "--to", dir.Path);
            Assert.AreEqual(0, code, output);
            StringAssert.Contains(output, "Does accuracy fall as dropout grows?");
        }
        finally
        {
            storage.Delete(name);
        }
    }
}
