using System.Text.Json;
using MLPipelines.Prediction;
using MLPipelines.Tests.Support;
using static MLPipelines.Tests.Support.CliRunner;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary><c>mlp greek train</c> and <c>mlp greek test</c> end to end, and what they do with bad input.</summary>
[TestClass]
public sealed class GreekCommandTests
{
    private static string Greek => Path.Combine(TestData.RequireRoot(), "greek");

    [TestMethod]
    [RequiresData("greek")]
    public void TrainThenTestOnTheSharedLetters()
    {
        using var dir = new TempDir();
        string model = dir.File("greek.zip");
        using var digitsDir = new TempDir();
        string digits = digitsDir.File("digits.zip");
        TrainedDigits.SaveAsModel(digits);

        var (code, output, error) = Mlp("greek", "train", "--data", TestData.RequireRoot(), "--digits", digits, "--epochs", "2",
            "--threads", "1", "--runs", dir.Path, "--model-out", model);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "Total params: 21,840");
        StringAssert.Contains(output, "Trainable params: 153");
        StringAssert.Contains(output, "Non-trainable params: 21,330");
        StringAssert.Contains(output, "frozen weights unchanged: 6 tensors");
        string trainRun = Directory.GetDirectories(dir.Path, "*-greek-train").Single();
        foreach (string file in new[] { "model.zip", "summary_before.txt", "summary_after.txt", "train_metrics.csv", "training_curve.png", "training_letters.png", "training.json" })
            Assert.IsTrue(File.Exists(Path.Combine(trainRun, file)), file);
        Assert.AreEqual(1 + 2, File.ReadAllLines(Path.Combine(trainRun, "train_metrics.csv")).Length - 1, "before training and 2 epochs");

        (code, output, error) = Mlp("greek", "test", model, "--data", TestData.RequireRoot(), "--runs", dir.Path);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "Per style:");
        StringAssert.Contains(output, "setC:");
        string testRun = Directory.GetDirectories(dir.Path, "*-greek-test").Single();
        Assert.IsTrue(File.Exists(Path.Combine(testRun, "test_letters.png")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(testRun, "evaluation.json")));
        Assert.AreEqual(36, json.RootElement.GetProperty("count").GetInt32());
        Assert.AreEqual(3, json.RootElement.GetProperty("per_style").GetArrayLength());

        // The model is the project's ordinary kind: ImageClassifier reads its classes and preprocessing.
        using var classifier = ImageClassifier.Load(model);
        var p = classifier.Predict(Path.Combine(Greek, "test", "alpha", "setC_alpha_1.png"));
        CollectionAssert.Contains(new[] { "alpha", "beta", "gamma" }, p.Label);
    }

    [TestMethod]
    [RequiresData("greek")]
    public void MissingLettersOrModelsAreOneErrorLine()
    {
        using var dir = new TempDir();
        var (code, _, error) = Mlp("greek", "train", "--train", dir.File("nowhere"), "--runs", dir.Path);
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "not found");

        (code, _, error) = Mlp("greek", "test", dir.File("no-model.zip"), "--test", Path.Combine(Greek, "test"), "--runs", dir.Path);
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "model not found");

        (code, _, error) = Mlp("greek", "train", "--train", Path.Combine(Greek, "train"), "--digits", dir.File("no-digits.zip"), "--runs", dir.Path);
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "digit model not found");
        Assert.IsEmpty(Directory.GetDirectories(dir.Path), "no run folder is left by a failed command");
    }

    [TestMethod]
    [RequiresData("greek")]
    public void EmptyClassIsOneErrorLineAndNonImagesAreWarnings()
    {
        using var dir = new TempDir();
        string letters = dir.File("letters");
        foreach (string c in new[] { "alpha", "delta" })
        {
            Directory.CreateDirectory(Path.Combine(letters, c));
            File.Copy(Path.Combine(Greek, "train", "alpha", "alpha_001.png"), Path.Combine(letters, c, "1.png"));
        }
        Directory.CreateDirectory(Path.Combine(letters, "omega"));
        File.WriteAllText(Path.Combine(letters, "omega", "notes.txt"), "to draw");

        var (code, _, error) = Mlp("greek", "train", "--train", letters, "--runs", dir.File("runs"));
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "warning: skipped");
        AssertOneErrorLine(error, "class 'omega' has no images");
    }

    [TestMethod]
    [RequiresData("greek")]
    public void BadOptionsAreUsageErrors()
    {
        var (code, _, error) = Mlp("greek", "train", "--fine-tune", "conv9");
        Assert.AreEqual(2, code);
        AssertOneErrorLine(error);
        (code, _, error) = Mlp("greek", "train", "--epochs", "0", "--train", Path.Combine(Greek, "train"));
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "epochs");
    }
}
