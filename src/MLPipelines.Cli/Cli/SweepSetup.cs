using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MLPipelines.Data;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Training;

namespace MLPipelines.Cli.Cli;

/// <summary>What the sweep commands share: the study and storage options, the study folder, data loading, budgets.</summary>
public static partial class SweepSetup
{
    public static Option<string> Study() => new("--study")
    {
        Description = "Study name: a study is created once and resumed by every later command with the same name",
        DefaultValueFactory = _ => StudyFolders.DefaultStudy,
        HelpName = "NAME",
    };

    public static Option<string?> Storage() => new("--storage")
    {
        Description = "Where the study lives: a SQLite file (default runs/sweeps/<study>/study.db), 'postgres' ($MLP_POSTGRES), " +
                      "a connection string Host=…;Database=… or postgres://user:password@host:port/db",
        HelpName = "STORAGE",
    };

    public static Option<string?> Out() => new("--out")
    {
        Description = "The study's folder for the report and worker logs (default runs/sweeps/<study>)",
        HelpName = "DIR",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "libtorch threads per worker (0: the cores divided among the workers, so 1 with the default workers)",
        DefaultValueFactory = _ => 0,
    };

    public static Option<string?> Budget() => new("--budget")
    {
        Description = "Start no trial after this long (90s, 20m, 1h30m); the running one finishes",
        HelpName = "TIME",
    };

    public static Option<int?> MaxTrials() => new("--max-trials") { Description = "Run at most this many trials in this command, then stop (the study stays resumable)" };

    public static Option<int> Stale() => new("--stale")
    {
        Description = "Seconds without a heartbeat after which a running trial's worker is taken for dead and the trial re-queued",
        DefaultValueFactory = _ => 60,
    };

    public static IStudyStorage OpenStorage(string? storage, string study, string? outOption, bool readOnly = false) =>
        StudyFolders.Open(storage, study, outOption, readOnly);

    public static TimeSpan? ParseBudget(string? text, string option = "--budget")
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0)
            return TimeSpan.FromSeconds(seconds);
        var m = BudgetPattern().Match(text.Trim());
        if (!m.Success) throw new UserError($"bad {option} '{text}' (use 90s, 20m, 1h or 1h30m)");
        double total = 0;
        foreach (Capture c in m.Groups["part"].Captures)
        {
            var part = PartPattern().Match(c.Value);
            double n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch { "h" => n * 3600, "m" => n * 60, _ => n };
        }
        if (total <= 0) throw new UserError($"bad {option} '{text}': it must be positive");
        return TimeSpan.FromSeconds(total);
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[hms])+$")]
    private static partial Regex BudgetPattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)([hms])")]
    private static partial Regex PartPattern();

    public static int ThreadsPerWorker(int threads, int workers) =>
        threads > 0 ? threads : Math.Max(1, TorchRuntime.DefaultThreads / Math.Max(1, workers));

    /// <summary>The digit runner of a worker: its data set found, fetched with a bar when missing, and loaded on the first trial.</summary>
    public static ITrialRunner Runner(StudyConfig config, string? dataOption, int threads)
    {
        var location = DataLocation.Resolve(dataOption);
        return TrialRunners.ForStudy(config, location, threads, spec => DataFiles.Ensure(location, spec, Interrupt.Token));
    }

    /// <summary>Starts 'mlp sweep worker' on the study, as <see cref="StudyOptimizeOptions.StartWorker"/> asks.</summary>
    public static Func<int, string, Process> WorkerStarter(string storageSpec, string study, int threads, string? data, TimeSpan? budget,
        int? maxTrials, TimeSpan staleAfter) => (_, log) =>
    {
        var args = new List<string> { "sweep", "worker", "--storage", storageSpec, "--study", study, "--threads", Text(threads),
            "--stale", Text((int)staleAfter.TotalSeconds), "--attached" };
        if (data is not null) args.AddRange(["--data", Path.GetFullPath(data)]);
        if (budget is not null) args.AddRange(["--budget", Text((int)Math.Ceiling(budget.Value.TotalSeconds))]);
        if (maxTrials is not null) args.AddRange(["--max-trials", Text(maxTrials.Value)]);
        return WorkerProcess.Start(typeof(SweepSetup).Assembly.Location, args, log);
    };

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
