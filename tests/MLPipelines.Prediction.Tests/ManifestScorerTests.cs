using System.Globalization;
using MLPipelines.Prediction.Scoring;
using MLPipelines.Prediction.Tests.Support;
using MLPipelines.Tests.Support;

namespace MLPipelines.Prediction.Tests;

/// <summary>The manifest scorer on the shared handwritten digits: order, columns, errors, metrics, streams.</summary>
[TestClass]
public sealed class ManifestScorerTests
{
    private static ImageClassifier classifier = null!;

    [ClassInitialize]
    public static void Load(TestContext _) => classifier = ImageClassifier.Load(TestData.DigitsModel);

    [ClassCleanup]
    public static void Unload() => classifier?.Dispose();

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void KeepsEveryRowInOrderWithItsColumnsAndFillsErrors()
    {
        using var dir = new TempDir();
        var manifest = DigitManifest.Create(dir.Path);
        string output = dir.File("out/scored.csv");
        var summary = new ManifestScorer(classifier, new ScoreOptions { ChunkSize = 7 }).ScoreFile(manifest.Path, output);

        Assert.IsTrue(summary.Completed);
        Assert.AreEqual(33, summary.Rows);
        Assert.AreEqual(3, summary.Errors);
        var rows = Csv.Read(output);
        string[] expectedHeader = [.. DigitManifest.Header, "predicted_label", "probability", .. classifier.Classes.Select(c => "score_" + c), "error"];
        CollectionAssert.AreEqual(expectedHeader, rows[0]);
        Assert.AreEqual(manifest.Rows.Count, rows.Count - 1, "no row lost");
        var col = Csv.Columns(rows[0]);
        for (int i = 0; i < manifest.Rows.Count; i++)
        {
            var row = rows[i + 1];
            CollectionAssert.AreEqual(manifest.Rows[i], row[..3], $"row {i + 1}: original columns, in order");
            Assert.AreEqual(expectedHeader.Length, row.Length);
            if (DigitManifest.IsBad(row[0]))
            {
                Assert.AreNotEqual("", row[col["error"]], $"row {i + 1} {row[0]}");
                Assert.AreEqual("", row[col["predicted_label"]]);
                continue;
            }
            Assert.AreEqual("", row[col["error"]], $"row {i + 1} {row[0]}");
            var scores = classifier.Classes.Select(c => float.Parse(row[col["score_" + c]], CultureInfo.InvariantCulture)).ToArray();
            Assert.AreEqual(1.0, scores.Sum(), 1e-4);
            int best = Array.IndexOf(scores, scores.Max());
            Assert.AreEqual(classifier.Classes[best], row[col["predicted_label"]]);
            Assert.AreEqual(scores.Max(), float.Parse(row[col["probability"]], CultureInfo.InvariantCulture), 1e-6);
            // The same as predicting the file alone.
            var alone = classifier.Predict(Path.IsPathRooted(row[0]) ? row[0] : Path.Combine(dir.Path, row[0]));
            Assert.AreEqual(alone.Label, row[col["predicted_label"]], row[0]);
            Assert.AreEqual(alone.Probability, scores.Max(), 1e-5);
        }
        var errors = rows.Skip(1).ToDictionary(r => r[0], r => r[col["error"]]);
        Assert.AreEqual("file not found", errors[DigitManifest.MissingFile]);
        StringAssert.StartsWith(errors[DigitManifest.TextFile], "not an image");
        Assert.AreEqual("empty file", errors[DigitManifest.EmptyFile]);
        CollectionAssert.AreEqual(new long[] { 5, 12, 21 }, summary.FirstErrors.Select(e => e.Row).ToArray());
        Assert.IsFalse(File.Exists(ManifestScorer.PartialPathFor(output)), "the partial file became the output");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void MetricsAgreeWithTheOutputRows()
    {
        using var dir = new TempDir();
        var manifest = DigitManifest.Create(dir.Path);
        string output = dir.File("scored.csv");
        var summary = new ManifestScorer(classifier).ScoreFile(manifest.Path, output);

        // Recount from the written rows: labelled rows without errors.
        var rows = Csv.Read(output);
        var col = Csv.Columns(rows[0]);
        var pairs = rows.Skip(1).Where(r => r[col["error"]] == "").Select(r => (Actual: r[1], Predicted: r[col["predicted_label"]])).ToList();
        Assert.AreEqual(30, pairs.Count);
        var file = MetricsReport.Read(ManifestScorer.MetricsPathFor(output));
        Assert.AreEqual(dir.File("scored.metrics.json"), summary.MetricsPath);
        Assert.AreEqual(33, file.Rows);
        Assert.AreEqual(3, file.Errors);
        Assert.AreEqual(30, file.Evaluated);
        Assert.AreEqual(pairs.Count(p => p.Actual == p.Predicted), file.Correct);
        Assert.AreEqual((double)file.Correct / 30, file.Accuracy, 1e-12);
        CollectionAssert.AreEqual(classifier.Classes.ToArray(), file.Labels.ToArray());
        for (int a = 0; a < 10; a++)
        for (int p = 0; p < 10; p++)
            Assert.AreEqual(pairs.Count(x => x.Actual == $"{a}" && x.Predicted == $"{p}"), file.Confusion[a][p], $"confusion[{a}][{p}]");
        foreach (var k in file.Classes)
        {
            int tp = pairs.Count(x => x.Actual == k.Label && x.Predicted == k.Label);
            int predicted = pairs.Count(x => x.Predicted == k.Label), actual = pairs.Count(x => x.Actual == k.Label);
            Assert.AreEqual(3, actual);
            Assert.AreEqual(predicted == 0 ? 0 : (double)tp / predicted, k.Precision, 1e-12, k.Label);
            Assert.AreEqual((double)tp / actual, k.Recall, 1e-12, k.Label);
        }
        Assert.AreEqual(summary.Metrics!.Accuracy, file.Accuracy);
        // People's photos, drawings and small digits: the committed model reads 29 of the 30 (models/README.md).
        Assert.IsTrue(file.Accuracy >= 0.9, $"accuracy {file.Accuracy:P1}");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void WithoutALabelColumnThereAreNoMetrics()
    {
        using var dir = new TempDir();
        string digits = TestData.HandwrittenDigits;
        string manifest = dir.File("unlabelled.csv");
        Csv.Write(manifest, [["file"], [Path.Combine(digits, "drawn", "4.png")], [Path.Combine(digits, "small", "8.png")]]);
        string output = dir.File("unlabelled.scored.csv");
        File.WriteAllText(ManifestScorer.MetricsPathFor(output), "{}");
        var summary = new ManifestScorer(classifier, new ScoreOptions { PathColumn = "file" }).ScoreFile(manifest, output);
        Assert.IsNull(summary.Metrics);
        Assert.IsNull(summary.MetricsPath);
        Assert.IsFalse(File.Exists(ManifestScorer.MetricsPathFor(output)), "a stale metrics file is removed");
        Assert.AreEqual(3, Csv.Read(output).Count);

        var required = new ManifestScorer(classifier, new ScoreOptions { PathColumn = "file", LabelColumnRequired = true });
        var e = Assert.ThrowsExactly<ScoringException>(() => required.ScoreFile(manifest, dir.File("other.csv")));
        StringAssert.Contains(e.Message, "no 'label' column");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void StreamApiWritesWhatTheFileApiWrites()
    {
        using var dir = new TempDir();
        var manifest = DigitManifest.Create(dir.Path);
        var scorer = new ManifestScorer(classifier);
        scorer.ScoreFile(manifest.Path, dir.File("file.csv"));
        using var reader = new StreamReader(manifest.Path);
        using var writer = new StringWriter();
        var summary = scorer.Score(reader, dir.Path, writer);
        Assert.IsTrue(summary.Completed);
        Assert.AreEqual(File.ReadAllText(dir.File("file.csv")), writer.ToString());
    }

    [TestMethod]
    public void ManifestProblemsAreOneMessageAndWriteNothing()
    {
        using var dir = new TempDir();
        var scorer = new ManifestScorer(classifier);
        string output = dir.File("out.csv");

        File.WriteAllText(dir.File("nopath.csv"), "image,label\na.png,1\n");
        var e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(dir.File("nopath.csv"), output));
        StringAssert.Contains(e.Message, "no 'path' column");

        File.WriteAllText(dir.File("empty.csv"), "");
        e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(dir.File("empty.csv"), output));
        StringAssert.Contains(e.Message, "empty");

        File.WriteAllText(dir.File("scored.csv"), "path,predicted_label\na.png,1\n");
        e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(dir.File("scored.csv"), output));
        StringAssert.Contains(e.Message, "already has a column 'predicted_label'");

        e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(dir.File("absent.csv"), output));
        StringAssert.StartsWith(e.Message, "manifest not found");

        Assert.IsFalse(File.Exists(output));
        Assert.IsFalse(File.Exists(ManifestScorer.PartialPathFor(output)));
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ARowWithTooFewFieldsIsAnErrorAsOneWithTooMany()
    {
        using var dir = new TempDir();
        string photo = Path.Combine(TestData.HandwrittenDigits, "photos", "4.png");
        string manifest = dir.File("m.csv");
        File.WriteAllText(manifest, $"path,label,note\n{photo},4,ok\n{photo},4\n{photo},4,ok,extra\n{photo}\n");
        new ManifestScorer(classifier).ScoreFile(manifest, dir.File("out.csv"));
        var rows = Csv.Read(dir.File("out.csv"));
        var col = Csv.Columns(rows[0]);
        Assert.AreEqual("4", rows[1][col["predicted_label"]]);
        Assert.AreEqual("the row has 2 fields but the header 3", rows[2][col["error"]]);
        Assert.AreEqual("the row has 4 fields but the header 3", rows[3][col["error"]]);
        Assert.AreEqual("the row has 1 fields but the header 3", rows[4][col["error"]]);
        foreach (int r in new[] { 2, 3, 4 }) Assert.AreEqual("", rows[r][col["predicted_label"]], "not scored");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void AnImageOverThePixelLimitIsItsRowsError()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("bomb.png"), MLPipelines.Core.Imaging.PixelBomb.Png(20_000, 20_000));
        string manifest = dir.File("m.csv");
        File.WriteAllText(manifest, $"path\nbomb.png\n{Path.Combine(TestData.HandwrittenDigits, "photos", "4.png")}\n");
        var summary = new ManifestScorer(classifier).ScoreFile(manifest, dir.File("out.csv"));
        Assert.AreEqual(1, summary.Errors);
        var rows = Csv.Read(dir.File("out.csv"));
        StringAssert.Contains(rows[1][Csv.Columns(rows[0])["error"]], "image too large: 20,000x20,000 pixels");
        Assert.AreEqual("4", rows[2][Csv.Columns(rows[0])["predicted_label"]]);
    }
}
