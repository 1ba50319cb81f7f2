using MLPipelines.Data.Download;
using MLPipelines.Cli.Cli;
using MLPipelines.Data.Datasets;
using MLPipelines.Prediction;
using MLPipelines.Tests.Support;
using static MLPipelines.Tests.Support.CliRunner;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary><c>mlp data</c>, <c>mlp mnist train|test</c> end to end, and what they do with bad input.</summary>
[TestClass]
public sealed class MnistCommandTests
{
    private static string? savedMirrors;

    // Downloads in these tests may only go to a closed local port: nothing leaves the machine.
    [ClassInitialize]
    public static void NoRealMirrors(TestContext _)
    {
        savedMirrors = Environment.GetEnvironmentVariable(DatasetAccess.MirrorsVariable);
        Environment.SetEnvironmentVariable(DatasetAccess.MirrorsVariable, $"http://127.0.0.1:{LocalHttpServer.FreePort()}/");
    }

    [ClassCleanup]
    public static void Restore() => Environment.SetEnvironmentVariable(DatasetAccess.MirrorsVariable, savedMirrors);

    private static TempDir DataWithTruncatedTrainImages()
    {
        var dir = new TempDir();
        string mnist = Path.Combine(dir.Path, "mnist");
        Directory.CreateDirectory(mnist);
        foreach (var f in Directory.GetFiles(TestData.Mnist, "*.gz")) File.Copy(f, Path.Combine(mnist, Path.GetFileName(f)));
        string images = Path.Combine(mnist, "train-images-idx3-ubyte.gz");
        byte[] bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length / 3)]);
        return dir;
    }

    [TestMethod]
    [RequiresData]
    public void DataVerifiesTheSharedCopy()
    {
        var (code, output, error) = Mlp("data", "--data", TestData.RequireRoot(), "--no-fetch");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "verified");
        Assert.IsFalse(output.Contains("MISMATCH"));
    }

    [TestMethod]
    [RequiresData("mnist")]
    public void DataReportsATruncatedFile()
    {
        using var dir = DataWithTruncatedTrainImages();
        var (code, output, error) = Mlp("data", "--data", dir.Path, "--no-fetch");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "truncated");
        AssertOneErrorLine(error, "kept unchanged");
    }

    [TestMethod]
    [RequiresData("mnist")]
    public void TrainingOnCorruptDataIsOneErrorLineAndLeavesNoRunBehind()
    {
        using var dir = DataWithTruncatedTrainImages();
        using var runs = new TempDir();
        var (code, _, error) = Mlp("mnist", "train", "--data", dir.Path, "--runs", runs.Path, "--epochs", "1");
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "train-images-idx3-ubyte");
        Assert.AreEqual(0, Directory.GetDirectories(runs.Path).Length, "the failed run's empty folder is removed");
        Assert.IsFalse(Directory.EnumerateFiles(Path.Combine(dir.Path, "mnist")).Any(f => f.EndsWith(".part")), "no partial download");
    }

    [TestMethod]
    public void UnknownOptionIsAUsageError()
    {
        var (code, _, error) = Mlp("mnist", "train", "--epoch-count", "3");
        Assert.AreEqual(2, code);
        AssertOneErrorLine(error, "--epoch-count");
    }

    [TestMethod]
    [RequiresData("mnist")]
    [DataRow("--epochs", "0", "epochs must be at least 1")]
    [DataRow("--dropout", "1.5", "dropout")]
    [DataRow("--recipe", "fastest", "unknown recipe")]
    [DataRow("--kernel-size", "30", "kernel size")]
    public void BadOptionValuesAreOneErrorLine(string option, string value, string message)
    {
        using var runs = new TempDir();
        var (code, _, error) = Mlp("mnist", "train", "--data", TestData.RequireRoot(), "--runs", runs.Path, option, value);
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, message);
    }

    [TestMethod]
    [RequiresData("mnist")]
    public void MissingOrWrongCheckpointsAreOneErrorLine()
    {
        using var dir = new TempDir();
        var (code, _, error) = Mlp("mnist", "train", "--resume", dir.File("nothing-here"));
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "not found");

        File.WriteAllText(dir.File("fake.ckpt"), "not a checkpoint");
        (code, _, error) = Mlp("mnist", "test", dir.File("fake.ckpt"), "--data", TestData.RequireRoot());
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "fake.ckpt");
    }

    [TestMethod]
    [RequiresData("mnist")]
    [TestCategory("slow")]
    public void TrainWritesARunFolderAndAModelThatPredicts()
    {
        using var runs = new TempDir();
        string model = runs.File("digits.zip");
        var (code, output, error) = Mlp("mnist", "train", "--data", TestData.RequireRoot(), "--runs", runs.Path,
            "--epochs", "1", "--train-limit", "6000", "--test-limit", "1000", "--recipe", "tuned", "--model-out", model);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "Total params: 21,840");
        StringAssert.Contains(output, "max index 7  correct label 7");

        string run = Directory.GetDirectories(runs.Path).Single();
        foreach (string file in new[] { "options.json", "summary.txt", "train_loss.csv", "test_metrics.csv", "evaluation.json",
                     "confusion.txt", "first_outputs.txt", "predictions.csv", "log.txt", "model.zip", "checkpoints/epoch-01.ckpt" })
            Assert.IsTrue(File.Exists(Path.Combine(run, file)), file);
        Assert.AreEqual(3, File.ReadAllLines(Path.Combine(run, "test_metrics.csv")).Length, "header, before training, epoch 1");

        using var classifier = ImageClassifier.Load(model);
        CollectionAssert.AreEqual(KnownDatasets.Mnist.ClassNames.ToArray(), classifier.Classes.ToArray());
        Assert.AreEqual("mnist-style", classifier.Metadata.Preprocessing);
        var test = IdxDatasetLoader.Load(KnownDatasets.Mnist, TestData.Mnist, DataSplit.Test);
        using var first = MLPipelines.Core.Imaging.MLImages.From(MLPipelines.Core.Imaging.GrayImage.FromBytes(28, 28, test.Image(0)));
        Assert.AreEqual("7", classifier.PredictPrepared(first).Label);

        // The test command reads the same model back from the .zip.
        (code, output, error) = Mlp("mnist", "test", model, "--data", TestData.RequireRoot(), "--runs", runs.Path, "--show", "3");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "Test set: average loss");
    }
}
