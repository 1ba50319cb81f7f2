using MLPipelines.Prediction.Scoring;
using MLPipelines.Prediction.Tests.Support;
using MLPipelines.Tests.Support;

namespace MLPipelines.Prediction.Tests;

/// <summary>The scorer's file handling: constant memory over many rows, atomic output, Ctrl+C and resume.</summary>
[TestClass]
public sealed class StreamingAndResumeTests
{
    private static ImageClassifier classifier = null!;

    [ClassInitialize]
    public static void Load(TestContext _) => classifier = ImageClassifier.Load(TestData.DigitsModel);

    [ClassCleanup]
    public static void Unload() => classifier?.Dispose();

    /// <summary>Rows cycling through the 28x28 digits (cheap to score), each with a wide padding column.</summary>
    private static string ManyRows(TempDir dir, int rows, int padding)
    {
        string small = Path.Combine(TestData.HandwrittenDigits, "small");
        string manifest = dir.File("many.csv");
        using var w = new StreamWriter(manifest);
        w.WriteLine("id,path,label,padding");
        string pad = new('x', padding);
        for (int i = 0; i < rows; i++) w.WriteLine($"{i},{Path.Combine(small, $"{i % 10}.png")},{i % 10},{pad}");
        return manifest;
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void StreamsManyRowsInBoundedMemory()
    {
        using var dir = new TempDir();
        // 5,000 rows of 4 KB: 40 MB of row text in memory as .NET strings if the scorer held them all.
        string manifest = ManyRows(dir, 5000, 4096);
        string output = dir.File("many.scored.csv");
        string partial = ManifestScorer.PartialPathFor(output);
        var heap = new List<long>();
        var written = new List<long>();
        var scorer = new ManifestScorer(classifier, new ScoreOptions { ChunkSize = 100 });
        var summary = scorer.ScoreFile(manifest, output, progress: p =>
        {
            if (p.RowsDone % 500 != 0) return;
            heap.Add(GC.GetTotalMemory(forceFullCollection: true));
            written.Add(new FileInfo(partial).Length);
        });

        Assert.IsTrue(summary.Completed);
        Assert.AreEqual(5000, summary.Rows);
        Assert.AreEqual(5000, summary.TotalRows);
        Assert.AreEqual(0, summary.Errors);
        Assert.AreEqual(10, heap.Count);
        long growth = heap.Max() - heap[0];
        Assert.IsTrue(growth < 8 << 20, $"managed heap grew {growth / (1 << 20)} MB over the run: rows are being kept");
        Assert.IsTrue(written[0] > 500 * 4096, "rows reach the disk chunk by chunk, not at the end");
        CollectionAssert.AreEqual(written.Order().ToList(), written);

        using var reader = new StreamReader(output);
        reader.ReadLine();
        for (int i = 0; i < 5000; i++)
            Assert.IsTrue(reader.ReadLine()!.StartsWith($"{i},"), $"row {i} in input order");
        Assert.IsNull(reader.ReadLine());
        Assert.AreEqual(1.0, summary.Metrics!.Accuracy, 0.5, "metrics over all 5,000 rows");
        Assert.AreEqual(5000, summary.Metrics.Total);
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void AFailureLeavesNoOutputAndKeepsTheEarlierOne()
    {
        using var dir = new TempDir();
        string manifest = ManyRows(dir, 300, 10);
        string output = dir.File("out.csv");
        File.WriteAllText(output, "an earlier run's output\n");
        Assert.ThrowsExactly<ScoringException>(() => new ManifestScorer(classifier).ScoreFile(manifest, output), "an existing output is not replaced unless asked");
        var scorer = new ManifestScorer(classifier, new ScoreOptions { ChunkSize = 50, Overwrite = true });
        Assert.ThrowsExactly<IOException>(() => scorer.ScoreFile(manifest, output, progress: p =>
        {
            if (p.RowsDone == 100) throw new IOException("disk full");
        }));
        Assert.AreEqual("an earlier run's output\n", File.ReadAllText(output), "the output is replaced only when complete");
        string partial = ManifestScorer.PartialPathFor(output);
        Assert.AreEqual(101, File.ReadAllLines(partial).Length, "header + the rows done, kept for resume");

        var resumed = scorer.ScoreFile(manifest, output, resume: true);
        Assert.IsTrue(resumed.Completed);
        Assert.AreEqual(100, resumed.Resumed);
        Assert.AreEqual(301, File.ReadAllLines(output).Length);
        Assert.IsFalse(File.Exists(partial));
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ResumeAfterInterruptionGivesTheUninterruptedOutput()
    {
        using var dir = new TempDir();
        var manifest = DigitManifest.Create(dir.Path);
        var scorer = new ManifestScorer(classifier, new ScoreOptions { ChunkSize = 8 });
        scorer.ScoreFile(manifest.Path, dir.File("reference.csv"));

        string output = dir.File("out.csv");
        string partial = ManifestScorer.PartialPathFor(output);
        Assert.AreEqual(dir.File("out.partial.csv"), partial);
        using var ctrlC = new CancellationTokenSource();
        var stopped = scorer.ScoreFile(manifest.Path, output, progress: p =>
        {
            if (p.RowsDone == 16) ctrlC.Cancel();
        }, cancel: ctrlC.Token);
        Assert.IsFalse(stopped.Completed);
        Assert.AreEqual(16, stopped.Rows);
        Assert.AreEqual(partial, stopped.PartialPath);
        Assert.IsFalse(File.Exists(output));
        Assert.AreEqual(17, Csv.Read(partial).Count);

        var e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(manifest.Path, output));
        StringAssert.Contains(e.Message, "interrupted run");

        // A hard kill mid-write: the last row is cut short; resume drops it and scores it again.
        using (var f = new FileStream(partial, FileMode.Open)) f.SetLength(f.Length - 9);
        var done = scorer.ScoreFile(manifest.Path, output, resume: true);
        Assert.IsTrue(done.Completed);
        Assert.AreEqual(15, done.Resumed);
        Assert.AreEqual(18, done.Scored);
        Assert.AreEqual(3, done.Errors, "errors of resumed rows are counted too");
        Assert.AreEqual(File.ReadAllText(dir.File("reference.csv")), File.ReadAllText(output));
        Assert.IsFalse(File.Exists(partial));
        var reference = MetricsReport.Read(dir.File("reference.metrics.json"));
        var resumed = MetricsReport.Read(dir.File("out.metrics.json"));
        Assert.AreEqual(reference.Evaluated, resumed.Evaluated);
        Assert.AreEqual(reference.Correct, resumed.Correct);
        CollectionAssert.AreEqual(reference.Confusion.SelectMany(r => r).ToArray(), resumed.Confusion.SelectMany(r => r).ToArray());

        e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(manifest.Path, output, resume: true));
        StringAssert.StartsWith(e.Message, "nothing to resume");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ResumeRefusesAPartialFileOfAnotherManifest()
    {
        using var dir = new TempDir();
        string manifest = ManyRows(dir, 40, 1);
        string output = dir.File("out.csv");
        var scorer = new ManifestScorer(classifier, new ScoreOptions { ChunkSize = 10 });
        using var ctrlC = new CancellationTokenSource();
        scorer.ScoreFile(manifest, output, progress: p => ctrlC.Cancel(), cancel: ctrlC.Token);
        Assert.AreEqual(11, File.ReadAllLines(ManifestScorer.PartialPathFor(output)).Length);

        var lines = File.ReadAllLines(manifest);
        lines[5] = lines[5].Replace(",4,x", ",9,x");
        File.WriteAllLines(manifest, lines);
        var e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(manifest, output, resume: true));
        StringAssert.Contains(e.Message, "row 5");
        StringAssert.Contains(e.Message, "differs from the manifest");

        File.WriteAllText(manifest, "path,label,other\na.png,1,2\n");
        e = Assert.ThrowsExactly<ScoringException>(() => scorer.ScoreFile(manifest, output, resume: true));
        StringAssert.Contains(e.Message, "does not have the columns");
        Assert.IsFalse(File.Exists(output));
    }
}
