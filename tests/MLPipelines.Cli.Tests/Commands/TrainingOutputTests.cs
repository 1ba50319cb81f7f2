using System.Security.Cryptography;
using System.Text.Json;
using MLPipelines.Cli.Cli;
using MLPipelines.Prediction;
using MLPipelines.Tests.Support;
using static MLPipelines.Tests.Support.CliRunner;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary>
/// Where training commands put their models: a resumed run where it was asked to, the shared default models only
/// for their own data sets, and never over a model without saying so and keeping it.
/// </summary>
[TestClass]
public sealed class TrainingOutputTests
{
    private static string? savedModels;
    private static TempDir models = null!;

    // The shared default models go to a folder of the test's own: the committed ones are never at stake.
    [ClassInitialize]
    public static void OwnModelsFolder(TestContext _)
    {
        savedModels = Environment.GetEnvironmentVariable(ModelFiles.FolderVariable);
        models = new TempDir();
        Environment.SetEnvironmentVariable(ModelFiles.FolderVariable, models.Path);
    }

    [ClassCleanup]
    public static void Restore()
    {
        Environment.SetEnvironmentVariable(ModelFiles.FolderVariable, savedModels);
        models.Dispose();
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [TestMethod]
    [RequiresData("mnist")]
    [TestCategory("slow")]
    public void AResumedRunSavesItsModelWhereTheRunWasAskedTo()
    {
        using var dir = new TempDir();
        string modelOut = dir.File("mine/digits-small.zip");
        var (code, _, error) = Mlp("mnist", "train", "--data", TestData.RequireRoot(), "--runs", dir.File("runs"), "--epochs", "2",
            "--train-limit", "600", "--test-limit", "100", "--threads", "1", "--model-out", modelOut);
        Assert.AreEqual(0, code, error);
        string run = Directory.GetDirectories(dir.File("runs")).Single();
        // As if Ctrl+C had stopped it after epoch 1: its last checkpoint is epoch 1's, and no model was saved.
        File.Copy(Path.Combine(run, "checkpoints", "epoch-01.ckpt"), Path.Combine(run, "checkpoints", "last.ckpt"), overwrite: true);
        File.Delete(modelOut);

        (code, var output, error) = Mlp("mnist", "train", "--resume", run);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "resuming");
        Assert.IsTrue(File.Exists(modelOut), "the model goes to the run's --model-out");
        StringAssert.Contains(output, $"model: {modelOut}");
        Assert.IsFalse(output.Contains(Path.Combine(models.Path, "digits.zip")), "not to the default model");
    }

    [TestMethod]
    [RequiresData("greek")]
    public void AnotherClassSetNeverReplacesTheDefaultLetterModel()
    {
        using var dir = new TempDir();
        string greek = Path.Combine(models.Path, "greek.zip");
        File.Copy(Path.Combine(ProjectRootModels, "greek.zip"), greek, overwrite: true);
        File.Copy(TestData.DigitsModel, Path.Combine(models.Path, "digits.zip"), overwrite: true);
        string before = Hash(greek);
        string letters = dir.File("letters");
        string source = Path.Combine(TestData.RequireRoot(), "greek", "train");
        foreach (string c in new[] { "alpha", "beta", "gamma", "delta", "epsilon", "zeta" })
        {
            Directory.CreateDirectory(Path.Combine(letters, c));
            string from = Path.Combine(source, c is "alpha" or "beta" or "gamma" ? c : "alpha");
            foreach (string f in Directory.GetFiles(from).Take(2)) File.Copy(f, Path.Combine(letters, c, Path.GetFileName(f)));
        }

        var (code, output, error) = Mlp("greek", "train", "--train", letters, "--epochs", "1", "--runs", dir.File("runs"));
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(before, Hash(greek), "models/greek.zip is the three-letter model still");
        string run = Directory.GetDirectories(dir.File("runs")).Single();
        StringAssert.Contains(output, $"model: {Path.Combine(run, "model.zip")} (in the run folder");
        using var trained = ImageClassifier.Load(Path.Combine(run, "model.zip"));
        Assert.AreEqual(6, trained.Classes.Count);

        // Asked for, a model is replaced, and that is said, with the replaced one kept in the run folder.
        (code, output, error) = Mlp("greek", "train", "--train", letters, "--epochs", "1", "--runs", dir.File("runs2"), "--model-out", greek);
        Assert.AreEqual(0, code, error);
        string run2 = Directory.GetDirectories(dir.File("runs2")).Single();
        StringAssert.Contains(output, $"replaced {greek}: greek-letters (alpha, beta, gamma)");
        Assert.AreEqual(before, Hash(Path.Combine(run2, "replaced-greek.zip")));
    }

    [TestMethod]
    public void AFolderDataSetTrainsTestsBenchmarksAndSweepsWithItsOwnClasses()
    {
        using var dir = new TempDir();
        string set = dir.File("shapes");
        IdxFiles.WriteDataset(set, classes: 3);
        File.WriteAllLines(Path.Combine(set, "classes.txt"), ["low", "middle", "high"]);

        string digits = Path.Combine(models.Path, "digits.zip");
        string? before = File.Exists(digits) ? Hash(digits) : null;
        var (code, output, error) = Mlp("mnist", "train", "--dataset", set, "--epochs", "1", "--threads", "1", "--runs", dir.File("runs"));
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "unverified");
        string run = Directory.GetDirectories(dir.File("runs")).Single();
        Assert.AreEqual(before, File.Exists(digits) ? Hash(digits) : null, "another data set keeps its model in its run folder");
        using (var model = ImageClassifier.Load(Path.Combine(run, "model.zip")))
            CollectionAssert.AreEqual(new[] { "low", "middle", "high" }, model.Classes.ToArray());
        using (var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "options.json"))))
            Assert.AreEqual(set, options.RootElement.GetProperty("Dataset").GetString());

        (code, output, error) = Mlp("mnist", "test", run, "--dataset", set, "--runs", dir.File("runs"));
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "accuracy");

        (code, output, error) = Mlp("bench", "train", "--dataset", set, "--repeat", "1", "--threads", "1");
        Assert.AreEqual(0, code, error);
        (code, _, error) = Mlp("bench", "train", "--dataset", set, "--repeat", "1", "--threads", "1", "--vs-pytorch", "--python", dir.File("no-python"));
        Assert.AreNotEqual(0, code);
        CliRunner.AssertOneErrorLine(error, "--vs-pytorch");
        if (MLPipelines.Training.Benchmarks.PyTorchReference.Find().Python is not null)
        {
            (code, output, error) = Mlp("bench", "train", "--dataset", set, "--repeat", "1", "--threads", "1", "--vs-pytorch");
            Assert.AreEqual(0, code, error);
            StringAssert.Contains(output, "vs PyTorch");
        }

        (code, output, error) = Mlp("sweep", "run", "--study", "shapes", "--out", dir.File("sweep"), "--dataset", set, "--tuner", "grid",
            "--space", "dropout=0.3,0.5", "--epochs", "1", "--workers", "1", "--threads", "1");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "2 complete");
    }

    [TestMethod]
    [DataRow("--lr", "abc", "it must be a number")]
    [DataRow("--epochs", "two", "it must be a whole number")]
    public void AValueOfTheWrongTypeSaysWhatToType(string option, string value, string message)
    {
        var (code, _, error) = Mlp("mnist", "train", option, value);
        Assert.AreEqual(2, code);
        AssertOneErrorLine(error, message);
        Assert.IsFalse(error.Contains("System."), error);
    }

    [TestMethod]
    [RequiresData("mnist")]
    public void AKernelOfZeroIsNotTooLarge()
    {
        using var runs = new TempDir();
        var (code, _, error) = Mlp("mnist", "train", "--data", TestData.RequireRoot(), "--runs", runs.Path, "--kernel-size", "0");
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "kernel size 0 must be at least 1");
    }

    private static string ProjectRootModels => Path.GetDirectoryName(TestData.DigitsModel)!;
}
