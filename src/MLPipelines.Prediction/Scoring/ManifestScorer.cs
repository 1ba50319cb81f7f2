using System.Diagnostics;
using CsvHelper;

namespace MLPipelines.Prediction.Scoring;

/// <summary>
/// Scores the images a CSV manifest lists and writes every row back, in order, with the prediction added
/// (see <see cref="OutputLayout"/>). Streams: rows are read in fixed-size chunks, each chunk is scored in
/// parallel across the classifier's engine pool and written before the next is read, so memory does not
/// grow with the manifest. A bad row gets its error column filled and never stops the run.
/// <para>
/// <see cref="ScoreFile"/> is the file API: it writes to <c>&lt;out&gt;.partial.csv</c>, flushed after every
/// chunk, and renames it to the output only when complete (so the output is never half written). When
/// cancelled it stops after the current chunk and leaves the partial file; with <c>resume</c> a later run checks
/// it against the manifest (dropping a row cut short by a hard kill), keeps its rows and scores the rest.
/// </para>
/// </summary>
public sealed class ManifestScorer
{
    private readonly ImageClassifier classifier;

    public ManifestScorer(ImageClassifier classifier, ScoreOptions? options = null)
    {
        this.classifier = classifier;
        Options = options ?? new ScoreOptions();
        Options.Validate();
    }

    public ScoreOptions Options { get; }

    /// <summary>Where an interrupted run of <paramref name="outputPath"/> leaves its rows: out.csv → out.partial.csv.</summary>
    public static string PartialPathFor(string outputPath) => WithSuffix(outputPath, ".partial", Path.GetExtension(outputPath));

    /// <summary>Where the metrics of <paramref name="outputPath"/> go: out.csv → out.metrics.json.</summary>
    public static string MetricsPathFor(string outputPath) => WithSuffix(outputPath, ".metrics", ".json");

    /// <summary>
    /// Scores a manifest read from <paramref name="manifest"/> into <paramref name="output"/> (for servers and
    /// apps; relative image paths are taken from <paramref name="baseFolder"/>). Cancelling stops after the
    /// current chunk: the output then holds every row done, in order.
    /// </summary>
    public ScoreSummary Score(TextReader manifest, string baseFolder, TextWriter output,
        Action<ScoreProgress>? progress = null, CancellationToken cancel = default)
    {
        using var parser = new CsvParser(manifest, ScoredCsv.ReadConfig(), leaveOpen: true);
        var layout = OutputLayout.Create(ScoredCsv.ReadHeader(parser, "the manifest"), classifier.Classes, Options);
        using var writer = new CsvWriter(output, ScoredCsv.WriteConfig(), leaveOpen: true);
        WriteRow(writer, layout.Header);
        var tally = new ScoreTally(layout, classifier.Classes);
        var clock = Stopwatch.StartNew();
        bool completed = Run(parser, layout, new ImageRowScorer(classifier, baseFolder), writer, writer.Flush, tally, null, 0, clock, progress, cancel);
        writer.Flush();
        return Summary(tally, null, 0, completed, clock.Elapsed);
    }

    /// <summary>
    /// Scores the manifest file into <paramref name="outputPath"/>, atomically (see the class summary).
    /// Without <paramref name="resume"/>, an existing partial file is an error (it holds an interrupted run's work); an
    /// existing output is an error unless <see cref="ScoreOptions.Overwrite"/>.
    /// On completion writes <see cref="MetricsPathFor"/> when the manifest has labels.
    /// </summary>
    public ScoreSummary ScoreFile(string manifestPath, string outputPath, bool resume = false,
        Action<ScoreProgress>? progress = null, CancellationToken cancel = default)
    {
        manifestPath = Path.GetFullPath(manifestPath);
        outputPath = Path.GetFullPath(outputPath);
        string partialPath = PartialPathFor(outputPath);
        if (!File.Exists(manifestPath)) throw new ScoringException($"manifest not found: {manifestPath}");
        if (Directory.Exists(outputPath)) throw new ScoringException($"the output {outputPath} is a folder; give a file name");
        if (outputPath == manifestPath || partialPath == manifestPath) throw new ScoringException($"the output {outputPath} would overwrite the manifest");

        OutputLayout layout;
        using (var header = ScoredCsv.OpenParser(manifestPath))
            layout = OutputLayout.Create(ScoredCsv.ReadHeader(header, $"the manifest {manifestPath}"), classifier.Classes, Options);
        long total = ScoredCsv.CountRows(manifestPath);
        var tally = new ScoreTally(layout, classifier.Classes);

        long resumed = 0;
        FileStream file;
        if (resume)
        {
            if (!File.Exists(partialPath))
                throw new ScoringException($"nothing to resume: no {partialPath} (an interrupted run leaves one)");
            RefuseExistingOutput(outputPath);
            var (rows, bytes) = PartialOutput.Verify(partialPath, manifestPath, layout, tally);
            resumed = rows;
            file = new FileStream(partialPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            file.SetLength(bytes);
            file.Seek(0, SeekOrigin.End);
        }
        else
        {
            if (File.Exists(partialPath))
                throw new ScoringException($"{partialPath} holds the rows of an interrupted run: resume it, or delete it to start over");
            RefuseExistingOutput(outputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            file = new FileStream(partialPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }

        bool completed;
        var clock = Stopwatch.StartNew();
        try
        {
            using var text = new StreamWriter(file, ScoredCsv.Utf8, bufferSize: 1 << 16);
            using var writer = new CsvWriter(text, ScoredCsv.WriteConfig());
            if (!resume) WriteRow(writer, layout.Header);
            using (var parser = ScoredCsv.OpenParser(manifestPath))
            {
                parser.Read();
                for (long skipped = 0; skipped < resumed && parser.Read(); skipped++) { }
                completed = Run(parser, layout, new ImageRowScorer(classifier, Path.GetDirectoryName(manifestPath)!), writer,
                    () => { writer.Flush(); text.Flush(); }, tally, total, resumed, clock, progress, cancel);
            }
            writer.Flush();
            text.Flush();
            file.Flush(flushToDisk: true);
        }
        catch
        {
            file.Dispose();
            // A fresh run that wrote no row leaves nothing behind; one with rows keeps them for --resume.
            if (!resume && tally.Rows == 0) File.Delete(partialPath);
            throw;
        }
        file.Dispose();
        var elapsed = clock.Elapsed;

        if (!completed) return Summary(tally, total, resumed, false, elapsed) with { PartialPath = partialPath };

        File.Move(partialPath, outputPath, overwrite: true);
        string metricsPath = MetricsPathFor(outputPath);
        var summary = Summary(tally, total, resumed, true, elapsed) with { OutputPath = outputPath };
        if (tally.Metrics is null)
        {
            // A metrics file left by an earlier run over labelled rows would now describe another output.
            if (File.Exists(metricsPath)) File.Delete(metricsPath);
            return summary;
        }
        MetricsReport.Write(metricsPath, summary, classifier.Path, manifestPath);
        return summary with { MetricsPath = metricsPath };
    }

    private void RefuseExistingOutput(string outputPath)
    {
        if (File.Exists(outputPath) && !Options.Overwrite)
            throw new ScoringException($"the output {outputPath} exists: give another output file, or allow replacing it (--overwrite)");
    }

    private bool Run(CsvParser parser, OutputLayout layout, ImageRowScorer scorer, CsvWriter writer, Action flush,
        ScoreTally tally, long? total, long resumed, Stopwatch clock, Action<ScoreProgress>? progress, CancellationToken cancel)
    {
        int size = Options.ChunkSize;
        var rows = new string[size][];
        var fieldErrors = new string?[size];
        var results = new RowResult[size];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.Parallelism };
        while (!cancel.IsCancellationRequested)
        {
            int n = 0;
            while (n < size && parser.Read())
            {
                rows[n] = layout.Normalize(parser.Record!, out fieldErrors[n]);
                n++;
            }
            if (n == 0) return true;

            Parallel.For(0, n, parallel, i =>
                results[i] = fieldErrors[i] is { } e ? RowResult.Failed(e) : scorer.Score(rows[i][layout.PathIndex]));

            for (int i = 0; i < n; i++)
            {
                WriteRow(writer, rows[i], results[i]);
                tally.Add(rows[i], results[i].Prediction?.Label, results[i].Error);
                rows[i] = null!;
                results[i] = default;
            }
            flush();
            progress?.Invoke(new ScoreProgress(tally.Rows, total, resumed, tally.Errors, clock.Elapsed));
            if (n < size) return true;
        }
        return false;
    }

    private static void WriteRow(CsvWriter writer, IEnumerable<string> fields)
    {
        foreach (string f in fields) writer.WriteField(f);
        writer.NextRecord();
    }

    private void WriteRow(CsvWriter writer, string[] input, RowResult result)
    {
        foreach (string f in input) writer.WriteField(f);
        if (result.Prediction is { } p)
        {
            writer.WriteField(p.Label);
            writer.WriteField(ScoredCsv.Number(p.Probability));
            foreach (var s in p.Scores) writer.WriteField(ScoredCsv.Number(s.Probability));
            writer.WriteField("");
        }
        else
        {
            for (int i = 0; i < 2 + classifier.Classes.Count; i++) writer.WriteField("");
            writer.WriteField(result.Error ?? "");
        }
        writer.NextRecord();
    }

    private static ScoreSummary Summary(ScoreTally tally, long? total, long resumed, bool completed, TimeSpan elapsed) => new()
    {
        Rows = tally.Rows,
        TotalRows = total,
        Resumed = resumed,
        Errors = tally.Errors,
        Completed = completed,
        Elapsed = elapsed,
        Metrics = tally.Metrics,
        FirstErrors = tally.FirstErrors,
    };

    private static string WithSuffix(string path, string suffix, string extension)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + suffix + extension);
    }
}
