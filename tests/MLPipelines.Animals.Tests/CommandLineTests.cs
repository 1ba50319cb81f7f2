using MLPipelines.Animals.Tests.Support;
using MLPipelines.Tests.Support;

namespace MLPipelines.Animals.Tests;

/// <summary>The mlp animals commands: bad input gives one line and a non-zero exit; explore writes its figures.</summary>
[TestClass]
public sealed class CommandLineTests
{
    private static (int Code, string Out, string Error) Run(params string[] args) => CliRunner.Mlp(args);

    [TestMethod]
    public void UnknownSetIsOneLine()
    {
        using var runs = new TempDir();
        var (code, _, error) = Run("animals", "train", "no-such-set", "--data", Path.GetDirectoryName(AnimalsData.Root)!, "--runs", runs.Path);
        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "error: photo set 'no-such-set' not found");
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);
    }

    [TestMethod]
    public void BadOptionsAreRefusedBeforeAnyWork()
    {
        using var runs = new TempDir();
        string data = Path.GetDirectoryName(AnimalsData.Root)!;
        var (code, _, error) = Run("animals", "train", "hymenoptera", "--data", data, "--runs", runs.Path, "--heads", "lbfgs,forest");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "unknown head 'forest'");
        (code, _, error) = Run("animals", "train", "animals10", "--data", data, "--runs", runs.Path, "--test-fraction", "0.9");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "fractions");
        (code, _, error) = Run("animals", "train", "hymenoptera", "--data", data, "--runs", runs.Path, "--precision", "int4");
        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "error: --precision: unknown precision 'int4' (known: auto, fp32, int8)");
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);
        (code, _, error) = Run("animals", "bench", "hymenoptera", "--data", data, "--precision", "fp16");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "unknown precision 'fp16'");
        Assert.AreEqual(0, Directory.GetDirectories(runs.Path).Length, "no run folder for refused input");
    }

    [TestMethod]
    public void ExploreWritesTheSummaryAndBothFigures()
    {
        using var runs = new TempDir();
        var (code, output, error) = Run("animals", "explore", "animals10", "--data", Path.GetDirectoryName(AnimalsData.Root)!, "--runs", runs.Path, "--per-class", "2");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "1306 photos in 10 classes");
        StringAssert.Contains(output, "a90:");
        string run = Directory.GetDirectories(runs.Path).Single();
        foreach (string figure in new[] { "class_distribution.png", "samples.png" })
        {
            var info = new FileInfo(Path.Combine(run, figure));
            Assert.IsTrue(info.Exists && info.Length > 10_000, $"{figure}: {info.Length} bytes");
            using var bitmap = SkiaSharp.SKBitmap.Decode(info.FullName);
            Assert.IsTrue(bitmap.Width > 300 && bitmap.Height > 200);
        }
        Assert.AreEqual(1307, File.ReadAllLines(Path.Combine(run, "split.csv")).Length);
    }
}
