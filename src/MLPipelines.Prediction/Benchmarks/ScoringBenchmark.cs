using System.Diagnostics;
using MLPipelines.Prediction.Scoring;

namespace MLPipelines.Prediction.Benchmarks;

/// <summary>Median milliseconds of each step of a warm single-image prediction, with the total's p90 and fastest.</summary>
public sealed record LatencyStats(double MedianTotal, double MedianRead, double MedianPrepare, double MedianModel, double P90Total, double Fastest);

/// <summary>A timed manifest scoring: rows, seconds, throughput, CPU time per row, errors; Completed false when cancelled.</summary>
public sealed record ManifestTiming(long Rows, double Seconds, double ImagesPerSecond, double CpuMillisecondsPerImage, long Errors, bool Completed);

/// <summary>
/// What <c>mlp bench score</c> measures: a model's warm single-image latency, step by step, and manifest scoring
/// throughput (<see cref="ManifestScorer"/>'s path). A benchmark, not a test: its figures depend on the machine and its load.
/// </summary>
public static class ScoringBenchmark
{
    /// <summary>Each file predicted once untimed, then <paramref name="repeats"/> timed passes: read, decode + prepare, model.</summary>
    public static LatencyStats Latency(ImageClassifier classifier, IReadOnlyList<string> files, int repeats)
    {
        foreach (string f in files) classifier.Predict(f);
        List<double> read = [], prepare = [], model = [], total = [];
        for (int r = 0; r < repeats; r++)
        foreach (string f in files)
        {
            long t0 = Stopwatch.GetTimestamp();
            byte[] bytes = File.ReadAllBytes(f);
            long t1 = Stopwatch.GetTimestamp();
            using var image = classifier.Prepare(bytes, f);
            long t2 = Stopwatch.GetTimestamp();
            classifier.PredictPrepared(image);
            long t3 = Stopwatch.GetTimestamp();
            read.Add(Ms(t0, t1));
            prepare.Add(Ms(t1, t2));
            model.Add(Ms(t2, t3));
            total.Add(Ms(t0, t3));
        }
        return new LatencyStats(Percentile(total, 0.5), Percentile(read, 0.5), Percentile(prepare, 0.5), Percentile(model, 0.5),
            Percentile(total, 0.9), total.Min());
    }

    /// <summary>
    /// Scores <paramref name="manifest"/> once untimed (engines for the workers, JIT), then once timed, writing the
    /// output into <paramref name="scratchFolder"/>.
    /// </summary>
    public static ManifestTiming Manifest(ImageClassifier classifier, string manifest, int parallelism, string scratchFolder, CancellationToken cancel = default)
    {
        var scorer = new ManifestScorer(classifier, new ScoreOptions { Parallelism = parallelism });
        string warm = Path.Combine(scratchFolder, $"warm-{Guid.NewGuid():N}.csv");
        scorer.ScoreFile(manifest, warm, cancel: cancel);
        File.Delete(warm);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var s = scorer.ScoreFile(manifest, Path.Combine(scratchFolder, $"{Path.GetFileNameWithoutExtension(manifest)}-{parallelism}-{Guid.NewGuid():N}.scored.csv"), cancel: cancel);
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        return new ManifestTiming(s.Rows, s.Elapsed.TotalSeconds, s.ImagesPerSecond, cpuMs / Math.Max(1, s.Rows), s.Errors, s.Completed);
    }

    /// <summary>A manifest (path,label) of <paramref name="rows"/> rows, <paramref name="files"/> repeated, each labelled by its file name.</summary>
    public static string WriteManifest(string path, IReadOnlyList<string> files, int rows)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("path,label");
        for (int i = 0; i < rows; i++)
        {
            string f = files[i % files.Count];
            w.WriteLine($"{f},{Path.GetFileNameWithoutExtension(f)}");
        }
        return path;
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(List<double> xs, double q)
    {
        var s = xs.Order().ToList();
        return s[Math.Clamp((int)Math.Round(q * (s.Count - 1)), 0, s.Count - 1)];
    }
}
