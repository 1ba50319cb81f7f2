using MLPipelines.Cli;
using MLPipelines.Sweeps.Tests.Support;
using MLPipelines.Tests.Support;

namespace MLPipelines.Sweeps.Tests;

/// <summary>Bad input to the sweep commands: one line on stderr, a non-zero exit, no stack trace.</summary>
[TestClass]
public sealed class CliTests
{
    private static (int Code, string Error) Mlp(params string[] args)
    {
        var (code, _, error) = CliRunner.Mlp(args);
        return (code, error);
    }

    private static void AssertOneLineError((int Code, string Error) result, string expected)
    {
        Assert.AreEqual(1, result.Code, result.Error);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(1, lines.Length, result.Error);
        StringAssert.StartsWith(lines[0], "error: ");
        StringAssert.Contains(lines[0], expected);
    }

    [TestMethod]
    public void AutoTrainOnAMissingOrClasslessFolderIsOneError()
    {
        using var dir = new TempDir();
        AssertOneLineError(Mlp("auto", "train", "--dataset", dir.File("nothing"), "--out", dir.File("run")), "dataset folder not found");
        Directory.CreateDirectory(dir.File("one/only"));
        File.WriteAllBytes(dir.File("one/only/a.png"), MLPipelines.Tests.Support.TestData.Root is null ? [] : File.ReadAllBytes(
            Path.Combine(MLPipelines.Tests.Support.TestData.Root, "handwritten-digits", "small", "3.png")));
        AssertOneLineError(Mlp("auto", "train", "--dataset", dir.File("one"), "--out", dir.File("run")), "class");
        Directory.CreateDirectory(dir.File("one/other"));
        File.Copy(dir.File("one/only/a.png"), dir.File("one/other/b.png"));
        AssertOneLineError(Mlp("auto", "train", "--dataset", dir.File("one"), "--out", dir.File("run2"), "--approach", "magic"), "unknown approach 'magic'");
    }

    [TestMethod]
    public void APhotoStudyWithAParameterOfAnotherTrainerIsOneError()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("photos/a"));
        Directory.CreateDirectory(dir.File("photos/b"));
        AssertOneLineError(Mlp("sweep", "run", "--study", "p", "--trainer", "photo-heads", "--train", dir.File("photos"), "--space", "kernel=4,5", "--out", dir.File("s")),
            "the photo heads know: head");
        AssertOneLineError(Mlp("sweep", "run", "--study", "p", "--trainer", "photo-heads", "--train", dir.File("photos"), "--tuner", "tpe",
            "--enqueue", "head=9", "--out", dir.File("s")), "head");
    }

    [TestMethod]
    public void UnknownTuner()
    {
        using var dir = new TempDir();
        AssertOneLineError(Mlp("sweep", "run", "--out", dir.Path, "--tuner", "bayes"), "unknown tuner 'bayes' (known: grid, random, ofat, asha, tpe, tpe-asha)");
    }

    [TestMethod]
    public void BadSpaceSyntax()
    {
        using var dir = new TempDir();
        AssertOneLineError(Mlp("sweep", "run", "--out", dir.Path, "--space", "dropout=0.3;batch"), "bad search space entry 'batch'");
        AssertOneLineError(Mlp("sweep", "run", "--out", dir.Path, "--space", "depth=1,2"), "unknown parameter 'depth'");
    }

    [TestMethod]
    public void UnreachableDatabase()
    {
        var result = Mlp("sweep", "status", "--storage", "Host=127.0.0.1;Port=1;Username=mlp;Password=mlp;Database=mlp;Timeout=3");
        AssertOneLineError(result, "PostgreSQL at 127.0.0.1:1/mlp: Failed to connect");
        AssertOneLineError(Mlp("sweep", "status", "--storage", "postgres://mlp@"), "bad PostgreSQL address");
    }

    [TestMethod]
    public void MissingStudyAndBadBudget()
    {
        using var dir = new TempDir();
        AssertOneLineError(Mlp("sweep", "status", "--study", "nothing", "--out", dir.Path), "no study named 'nothing'");
        AssertOneLineError(Mlp("sweep", "worker", "--study", "nothing", "--out", dir.Path), "no study named 'nothing'");
        AssertOneLineError(Mlp("sweep", "run", "--out", dir.Path, "--budget", "soon"), "bad --budget 'soon'");
    }

    [TestMethod]
    [RequiresData]
    public void AStudyNamedWithoutSettingsIsResumedAsCreatedAndOtherSettingsAreRefused()
    {
        TestData.RequireRoot();
        using var dir = new TempDir();
        var output = new StringWriter();
        var oldOut = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.AreEqual(0, Program.Main(["sweep", "run", "--study", "s", "--out", dir.Path, "--tuner", "ofat", "--epochs", "2", "--max-trials", "0", "--workers", "1"]));
            Assert.AreEqual(0, Program.Main(["sweep", "run", "--study", "s", "--out", dir.Path, "--max-trials", "0", "--workers", "1"]));
        }
        finally
        {
            Console.SetOut(oldOut);
        }
        StringAssert.Contains(output.ToString(), "tuner ofat, 2 epochs per full trial");
        Assert.IsFalse(output.ToString().Contains("tuner grid"), output.ToString());
        AssertOneLineError(Mlp("sweep", "run", "--study", "s", "--out", dir.Path, "--tuner", "grid", "--epochs", "2"), "already exists with tuner ofat (asked: grid)");
    }

    [TestMethod]
    public void StatusOfAMistypedOrEmptyStudyChangesNothing()
    {
        using var dir = new TempDir();
        string mistyped = Path.Combine(dir.Path, "gird");
        AssertOneLineError(Mlp("sweep", "status", "--study", "gird", "--out", mistyped), "no study named 'gird'");
        Assert.IsFalse(Directory.Exists(mistyped), "no folder is made for a mistyped study");

        string empty = Path.Combine(dir.Path, "empty");
        Directory.CreateDirectory(empty);
        File.WriteAllBytes(Path.Combine(empty, "study.db"), []);
        AssertOneLineError(Mlp("sweep", "status", "--study", "empty", "--out", empty), "holds no study");
        AssertOneLineError(Mlp("sweep", "report", "--study", "empty", "--out", empty), "holds no study");
        Assert.AreEqual(0, new FileInfo(Path.Combine(empty, "study.db")).Length, "no schema is written into it");
        CollectionAssert.AreEqual(new[] { "study.db" }, Directory.GetFiles(empty).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void StatusOfAnUnknownStudyNamesTheStudiesThereAre()
    {
        using var dir = new TempDir();
        string db = Path.Combine(dir.Path, "shared.db");
        using (var storage = new Storage.SqliteStudyStorage(db))
            storage.CreateOrOpen(new Trials.StudyConfig { Name = "grid" }, []);
        long size = new FileInfo(db).Length;
        AssertOneLineError(Mlp("sweep", "status", "--study", "gird", "--storage", db), "its studies: grid");
        Assert.AreEqual(size, new FileInfo(db).Length);
    }
}
