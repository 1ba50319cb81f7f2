using System.Text.Json;
using MLPipelines.Data;
using MLPipelines.Prediction;
using MLPipelines.Prediction.Scoring;
using MLPipelines.Tests.Support;
using static MLPipelines.Tests.Support.CliRunner;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary><c>mlp predict</c> and <c>mlp score</c> in-process: output, exit codes, one-line errors, resume, help.</summary>
[TestClass]
public sealed class PredictScoreCommandTests
{
    /// <summary>The committed digit model.</summary>
    private static string Model
    {
        get
        {
            string path = Path.Combine(ProjectRoot.Find(AppContext.BaseDirectory) ?? ProjectRoot.FindOrCurrent(), "models", "digits.zip");
            if (!File.Exists(path)) Assert.Fail($"the committed digit model is missing: {path}");
            return path;
        }
    }

    private static string Digits(string set, int digit) => Path.Combine(TestData.RequireRoot(), "handwritten-digits", set, $"{digit}.png");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A manifest of the 28x28 digits copied beside it (relative paths) plus one missing file.</summary>
    private static string Manifest(TempDir dir)
    {
        Directory.CreateDirectory(dir.File("img"));
        var lines = new List<string> { "path,label" };
        for (int d = 0; d < 10; d++)
        {
            File.Copy(Digits("small", d), dir.File($"img/{d}.png"));
            lines.Add($"img/{d}.png,{d}");
        }
        lines.Insert(3, "img/missing.png,2");
        File.WriteAllLines(dir.File("in.csv"), lines);
        return dir.File("in.csv");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void PredictReportsBadImagesAndGoesOn()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.png"), "text, not pixels");
        string good1 = Digits("small", 3), good2 = Digits("drawn", 5), text = dir.File("notes.png"), missing = dir.File("none.png");
        var (code, output, error) = Mlp("predict", Model, good1, text, missing, good2);

        Assert.AreEqual(1, code, "a bad image makes the exit code non-zero");
        var printed = Lines(output);
        Assert.AreEqual(2, printed.Length, output);
        StringAssert.StartsWith(printed[0], good1 + ": ");
        StringAssert.StartsWith(printed[1], good2 + ": ");
        StringAssert.Matches(printed[0], new System.Text.RegularExpressions.Regex(@": \d \(\d+\.\d %\)$"));
        var errors = Lines(error);
        Assert.AreEqual(2, errors.Length, error);
        Assert.AreEqual($"error: {text}: not an image (unknown or corrupt format)", errors[0]);
        Assert.AreEqual($"error: {missing}: file not found", errors[1]);
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void PredictJsonWithTopK()
    {
        var (code, output, error) = Mlp("predict", Model, Digits("small", 7), Digits("photos", 0), "--json", "--top", "3");
        Assert.AreEqual(0, code, error);
        using var json = JsonDocument.Parse(output);
        Assert.AreEqual(2, json.RootElement.GetArrayLength());
        foreach (var item in json.RootElement.EnumerateArray())
        {
            var top = item.GetProperty("top").EnumerateArray().ToList();
            Assert.AreEqual(3, top.Count);
            Assert.AreEqual(item.GetProperty("label").GetString(), top[0].GetProperty("label").GetString());
            Assert.AreEqual(item.GetProperty("probability").GetSingle(), top[0].GetProperty("probability").GetSingle());
            Assert.IsTrue(top[0].GetProperty("probability").GetSingle() >= top[1].GetProperty("probability").GetSingle());
        }
        // The same image predicted by the library.
        using var classifier = ImageClassifier.Load(Model);
        Assert.AreEqual(classifier.Predict(Digits("small", 7)).Label, json.RootElement[0].GetProperty("label").GetString());
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void PredictTimingPrintsWarmLatency()
    {
        var (code, output, error) = Mlp("predict", Model, Digits("small", 1), Digits("small", 2), "--timing");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "latency (warm, file to prediction): median ");
        StringAssert.Contains(output, "over 2 images");
        StringAssert.Contains(output, " ms]");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ScoreWritesTheOutputAndMetrics()
    {
        using var dir = new TempDir();
        string manifest = Manifest(dir);
        var (code, output, error) = Mlp("score", "--model", Model, "--manifest", manifest, "--out", dir.File("out/scored.csv"));
        Assert.AreEqual(0, code, error);
        Assert.AreEqual("", error);
        StringAssert.Contains(output, "scored:   11 rows");
        StringAssert.Contains(output, "1 rows with errors");
        StringAssert.Contains(output, "row 3 img/missing.png: file not found");
        StringAssert.Contains(output, "accuracy ");
        StringAssert.Contains(output, "confusion matrix");
        Assert.AreEqual(12, File.ReadAllLines(dir.File("out/scored.csv")).Length);
        Assert.AreEqual(10, MetricsReport.Read(dir.File("out/scored.metrics.json")).Evaluated);

        // Default output: beside the manifest.
        (code, _, error) = Mlp("score", "--model", Model, "--manifest", manifest);
        Assert.AreEqual(0, code, error);
        Assert.IsTrue(File.Exists(dir.File("in.scored.csv")));
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ScoreProblemsAreOneErrorLine()
    {
        using var dir = new TempDir();
        string manifest = Manifest(dir);
        File.WriteAllText(dir.File("nopath.csv"), "file,label\na.png,1\n");
        var cases = new (string[] Args, int Code, string Message)[]
        {
            (["score", "--model", Model, "--manifest", dir.File("absent.csv")], 1, "error: manifest not found"),
            (["score", "--model", Model, "--manifest", dir.File("nopath.csv")], 1, "error: the manifest has no 'path' column"),
            (["score", "--model", Model, "--manifest", manifest, "--label-column", "truth"], 1, "error: the manifest has no 'truth' column"),
            (["score", "--model", Model, "--manifest", manifest, "--resume"], 1, "error: nothing to resume"),
            (["score", "--model", dir.File("none.zip"), "--manifest", manifest], 1, "error: model not found"),
            (["score", "--model", Model, "--manifest", manifest, "--chunk-size", "0"], 1, "error: chunk size must be from 1 to 100,000"),
            (["score", "--manifest", manifest], 2, "error: Option '--model' is required"),
            (["predict", dir.File("none.zip"), Digits("small", 1)], 1, "error: model not found"),
        };
        foreach (var (args, expected, message) in cases)
        {
            var (code, _, error) = Mlp(args);
            Assert.AreEqual(expected, code, string.Join(' ', args) + "\n" + error);
            StringAssert.StartsWith(error, message, string.Join(' ', args));
            Assert.AreEqual(1, Lines(error).Length, error);
        }
        Assert.IsFalse(File.Exists(dir.File("in.scored.csv")));
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ScoreResumesWhatCtrlCLeft()
    {
        using var dir = new TempDir();
        string manifest = Manifest(dir);
        string output = dir.File("out.csv");
        using (var classifier = ImageClassifier.Load(Model))
        using (var ctrlC = new CancellationTokenSource())
        {
            var scorer = new ManifestScorer(classifier, new ScoreOptions { ChunkSize = 4 });
            var stopped = scorer.ScoreFile(manifest, output, progress: _ => ctrlC.Cancel(), cancel: ctrlC.Token);
            Assert.AreEqual(4, stopped.Rows);
        }
        var (code, text, error) = Mlp("score", "--model", Model, "--manifest", manifest, "--out", output);
        Assert.AreEqual(1, code);
        CliRunner.AssertOneErrorLine(error, "out.partial.csv holds the rows of an interrupted run: add --resume to continue it");

        (code, text, error) = Mlp("score", "--model", Model, "--manifest", manifest, "--out", output, "--resume");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(text, "resumed:  4 rows kept");
        StringAssert.Contains(text, "scored:   7 rows");
        Assert.AreEqual(12, File.ReadAllLines(output).Length);
        Assert.IsFalse(File.Exists(dir.File("out.partial.csv")));
    }

    [TestMethod]
    public void HelpShowsExamples()
    {
        foreach (var args in new[] { new[] { "predict", "--help" }, ["score", "--help"], ["bench", "score", "--help"] })
        {
            var (code, output, _) = Mlp(args);
            Assert.AreEqual(0, code, string.Join(' ', args));
            StringAssert.Contains(output, "Examples:");
        }
        StringAssert.Contains(Mlp("score", "--help").Out, "--resume");
        StringAssert.Contains(Mlp("predict", "--help").Out, "--top");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void APixelBombIsOneErrorLineAtOnceAndTheOtherImagesArePredicted()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("bomb.png"), MLPipelines.Core.Imaging.PixelBomb.Png(20_000, 20_000));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, output, error) = Mlp("predict", Model, dir.File("bomb.png"), Digits("photos", 7));
        Assert.AreEqual(1, code);
        Assert.IsLessThan(10, clock.Elapsed.TotalSeconds);
        AssertOneErrorLine(error, "bomb.png: image too large: 20,000x20,000 pixels");
        StringAssert.Contains(output, "7.png: 7");

        (code, output, error) = Mlp("predict", Model, dir.File("bomb.png"), "--max-pixels", "500000000");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "bomb.png: ");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ScoringNeverReplacesAnOutputUnlessAsked()
    {
        using var dir = new TempDir();
        string manifest = Manifest(dir);
        File.WriteAllText(dir.File("out.csv"), "the user's file\n");
        var (code, _, error) = Mlp("score", "--model", Model, "--manifest", manifest, "--out", dir.File("out.csv"));
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "exists");
        Assert.AreEqual("the user's file\n", File.ReadAllText(dir.File("out.csv")));

        (code, _, error) = Mlp("score", "--model", Model, "--manifest", manifest, "--out", dir.File("out.csv"), "--overwrite");
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(12, File.ReadAllLines(dir.File("out.csv")).Length);
    }
}
