using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MLPipelines.Cli.Cli;
using MLPipelines.Data.IO;
using MLPipelines.Sweeps.Benchmarks;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp bench tuners</c>: tuners side by side on the digit network, seed by seed, at the same compute
/// (<see cref="TunerComparison"/>): best accuracy against trials and CPU seconds. Prints figures; a benchmark, not a test.
/// </summary>
public static class BenchTunersCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var tuners = new Option<string>("--tuners") { Description = "Tuners to compare (comma-separated; random is the reference)", DefaultValueFactory = _ => "random,tpe,asha" };
        var space = new Option<string>("--space") { Description = "Search space", DefaultValueFactory = _ => TunerComparisonOptions.DefaultSpace, HelpName = "SPEC" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds (each tuner runs once per seed)", DefaultValueFactory = _ => 3 };
        var trials = new Option<int>("--trials") { Description = "Trials of random and tpe; asha gets as many configurations as their epochs pay for", DefaultValueFactory = _ => 20 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of a full trial", DefaultValueFactory = _ => 3 };
        var trainLimit = new Option<int>("--train-limit") { Description = "Training images per epoch", DefaultValueFactory = _ => 10_000 };
        var testLimit = new Option<int>("--test-limit") { Description = "Test images scored after each epoch", DefaultValueFactory = _ => 2_000 };
        var output = new Option<string>("--out") { Description = "Folder of the studies (resumed when run again) and results.json", DefaultValueFactory = _ => Path.Combine("runs", "bench-tuners"), HelpName = "DIR" };
        var command = new Command("tuners", "Compare tuners on the digit network at the same compute, over seeds")
        {
            data, threads, tuners, space, seeds, trials, epochs, trainLimit, testLimit, output,
        };
        command.WithExamples("mlp bench tuners", "mlp bench tuners --tuners random,tpe,tpe-asha,asha --seeds 5 --trials 30");
        command.SetAction(parse =>
        {
            var names = parse.GetValue(tuners)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            var template = new StudyConfig { Name = "bench", TrainLimit = parse.GetValue(trainLimit), TestLimit = parse.GetValue(testLimit) };
            int used = parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount;
            using var runner = SweepSetup.Runner(template, parse.GetValue(data), used);
            TunerComparisonOptions options;
            try
            {
                options = new TunerComparisonOptions
                {
                    Folder = folder, Runner = runner, Space = parse.GetValue(space)!, Tuners = names, Seeds = Math.Max(1, parse.GetValue(seeds)),
                    Trials = Math.Max(1, parse.GetValue(trials)), Epochs = Math.Max(1, parse.GetValue(epochs)),
                    TrainLimit = parse.GetValue(trainLimit), TestLimit = parse.GetValue(testLimit),
                };
                foreach (string n in names) TunerComparison.Config(options, Sweeps.Tuners.TunerFactory.Normalize(n), 1).ParseSpace();
            }
            catch (ArgumentException e)
            {
                throw new UserError(e.Message);
            }
            Console.WriteLine($"bench tuners: {string.Join(", ", names)} on {options.Space}; {options.Seeds} seeds, {options.Trials} trials x {options.Epochs} epochs each " +
                              $"({options.TrainLimit:N0} training images, {options.TestLimit:N0} test images); studies in {folder}");
            TunerComparisonResult result;
            try
            {
                result = ProgressDisplay.Run("tuners", progress => TunerComparison.Run(options, progress, Interrupt.Token));
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"stopped: the finished trials are kept; run the same command to continue");
                return ExitCodes.Interrupted;
            }
            Print(result);
            string json = Path.Combine(folder, "results.json");
            AtomicFile.WriteAllText(json, JsonSerializer.Serialize(result.Runs.Select(r => new
            {
                r.Tuner, r.Seed, r.Configurations, r.FinalBest, r.CpuSeconds, r.BestByTrial,
                BestByCpu = r.BestByCpu.Select(p => new[] { p.CpuSeconds, p.Best }),
            }), new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"curves: {json}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(TunerComparisonResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("per seed: best accuracy (full epochs), configurations, CPU seconds");
        foreach (var r in result.Runs.OrderBy(r => r.Seed).ThenBy(r => r.Tuner))
            Console.WriteLine(string.Create(inv, $"  seed {r.Seed}  {r.Tuner,-9} best {r.FinalBest:P2}  {r.Configurations,3} configurations  {r.CpuSeconds,7:F0} CPU-s" +
                $"{(r.Tuner != "random" && result.Runs.FirstOrDefault(x => x.Tuner == "random" && x.Seed == r.Seed) is { } rnd ? $"  reached random's best after {(r.TrialsToReach(rnd.FinalBest)?.ToString(inv) ?? "-")} trials, {(r.CpuToReach(rnd.FinalBest) is { } c ? c.ToString("F0", inv) + " CPU-s" : "-")}" : "")}"));
        Console.WriteLine();
        Console.WriteLine("tuner       mean best   mean CPU-s   trials to random's best (mean)   CPU-s to random's best (mean)");
        foreach (var s in result.Summary())
            Console.WriteLine(string.Create(inv, $"{s.Tuner,-10}  {s.MeanBest,9:P2}   {s.MeanCpu,10:F0}   {(s.MeanTrialsToRandomBest is { } t ? $"{t:F1} ({s.Reached}/{result.Options.Seeds} seeds reached it)" : "-"),-32} {(s.MeanCpuToRandomBest is { } c ? c.ToString("F0", inv) : "-")}"));
    }
}
