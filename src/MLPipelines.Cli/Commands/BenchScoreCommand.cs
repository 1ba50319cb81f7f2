using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Prediction;
using MLPipelines.Prediction.Benchmarks;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp bench score</c>: warm single-image latency (read, preparation, model) and manifest scoring throughput
/// in images per second, on the shared handwritten digits (or a given manifest). Prints figures; not a test.
/// </summary>
public static class BenchScoreCommand
{
    public const string DigitsFolder = "handwritten-digits";
    private static readonly string[] Sets = ["photos", "drawn", "small"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model .zip", Required = true, HelpName = "ZIP" };
        var data = CommonOptions.Data();
        var manifest = new Option<string?>("--manifest") { Description = "Time this manifest instead of the handwritten digits", HelpName = "CSV" };
        var rows = new Option<int>("--rows") { Description = "Rows per generated manifest (the set's 10 images repeated)", DefaultValueFactory = _ => 400, HelpName = "N" };
        var repeat = new Option<int>("--repeat") { Description = "Timed passes over each set for the latency", DefaultValueFactory = _ => 10, HelpName = "N" };
        var parallelism = new Option<int[]>("--parallelism")
        {
            Description = "Worker counts to time (repeatable; default 1 and one per core)",
            HelpName = "N",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("score", "Time single-image latency and manifest scoring (images/s)")
        {
            model, data, manifest, rows, repeat, parallelism,
        };
        command.WithExamples(
            "mlp bench score --model models/digits.zip",
            "mlp bench score --model models/digits.zip --rows 1000 --parallelism 2",
            "mlp bench score --model models/digits.zip --manifest photos.csv");
        command.SetAction(parse =>
        {
            int rowCount = parse.GetValue(rows), repeats = parse.GetValue(repeat);
            if (rowCount < 1 || repeats < 1) throw new UserError("--rows and --repeat must be at least 1");
            int[] workers = parse.GetValue(parallelism) is { Length: > 0 } w ? w : Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
            if (workers.Any(x => x < 1)) throw new UserError("--parallelism must be at least 1");
            string? given = parse.GetValue(manifest);
            string? digits = given is null ? DigitsRoot(DataLocation.Resolve(parse.GetValue(data))) : null;
            var c = CultureInfo.InvariantCulture;

            Console.WriteLine($"bench score: {Environment.ProcessorCount} cores, load average {LoadAverage.Now()}");
            var clock = Stopwatch.StartNew();
            using var classifier = Classifiers.Load(parse.GetValue(model)!);
            Console.WriteLine(string.Create(c, $"model: {classifier.Path}, loaded in {clock.Elapsed.TotalMilliseconds:F0} ms"));

            using var temp = new TempFolder();
            var manifests = new List<(string Name, string Path)>();
            if (digits is not null)
            {
                Console.WriteLine($"single image, warm (median over {repeats} passes of 10 images; read + prepare + model):");
                foreach (string set in Sets)
                {
                    if (Interrupt.Token.IsCancellationRequested) return ExitCodes.Interrupted;
                    var files = Directory.GetFiles(Path.Combine(digits, set), "*.png").Order(StringComparer.Ordinal).ToList();
                    var l = ScoringBenchmark.Latency(classifier, files, repeats);
                    Console.WriteLine(string.Create(c, $"  {set,-8} {l.MedianTotal,7:F2} ms (read {l.MedianRead:F2}, decode + prepare {l.MedianPrepare:F2}, " +
                                                       $"model {l.MedianModel:F2}); p90 {l.P90Total:F2} ms, fastest {l.Fastest:F2} ms"));
                    manifests.Add((set, ScoringBenchmark.WriteManifest(temp.File($"{set}.csv"), files, rowCount)));
                }
                var all = Sets.SelectMany(s => Directory.GetFiles(Path.Combine(digits, s), "*.png").Order(StringComparer.Ordinal)).ToList();
                manifests.Add(("mixed", ScoringBenchmark.WriteManifest(temp.File("mixed.csv"), all, rowCount)));
            }
            else
            {
                manifests.Add((Path.GetFileName(given!), Path.GetFullPath(given!)));
            }

            Console.WriteLine("manifest scoring (mlp score's path: chunks of 128 in parallel, engines reused, output written;");
            Console.WriteLine("CPU ms/image is the process's CPU time per row, which a busy machine inflates less than the wall time):");
            foreach (var (name, path) in manifests)
            foreach (int n in workers)
            {
                if (Interrupt.Token.IsCancellationRequested) return ExitCodes.Interrupted;
                var t = ScoringBenchmark.Manifest(classifier, path, n, temp.Path, Interrupt.Token);
                if (!t.Completed) return ExitCodes.Interrupted;
                Console.WriteLine(string.Create(c,
                    $"  {name,-8} {t.Rows,6:N0} rows, {n} worker{(n > 1 ? "s" : " ")}: {t.Seconds,6:F2} s, {t.ImagesPerSecond,7:N1} images/s; CPU {t.CpuMillisecondsPerImage:F2} ms/image ({t.Errors} errors)"));
            }
            Console.WriteLine($"load average at the end: {LoadAverage.Now()}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string DigitsRoot(DataLocation location)
    {
        string folder = location.FolderFor(DigitsFolder, dir => Directory.Exists(Path.Combine(dir, "photos")));
        if (!Sets.All(s => Directory.Exists(Path.Combine(folder, s))))
            throw new UserError($"the handwritten digits are not in {folder} (needs photos/, drawn/, small/); give --data or --manifest");
        return folder;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mlp-bench-score-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
