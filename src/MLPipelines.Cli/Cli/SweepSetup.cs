using MLPipelines.Core.Runs;
using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Training;

namespace MLPipelines.Cli.Cli;

/// <summary>What the sweep commands share: the study and storage options, the study folder, data loading, budgets.</summary>
public static partial class SweepSetup
{
    public const string DefaultStudy = "digits";

    public static Option<string> Study() => new("--study")
    {
        Description = "Study name: a study is created once and resumed by every later command with the same name",
        DefaultValueFactory = _ => DefaultStudy,
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

    public static string StudyFolder(string study, string? outOption) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(outOption) ? Path.Combine(RunFolder.DefaultRoot, "sweeps", study) : outOption);

    public static IStudyStorage OpenStorage(string? storage, string study, string? outOption, bool readOnly = false)
    {
        try
        {
            return StudyStorage.Open(storage, Path.Combine(StudyFolder(study, outOption), "study.db"), readOnly);
        }
        catch (StorageException e)
        {
            throw new UserError(e.Message);
        }
    }

    /// <summary>
    /// The storage of an existing study, opened read-only (commands that only look change nothing); an unknown study
    /// is an error that lists the studies there are.
    /// </summary>
    public static IStudyStorage OpenExisting(string? storage, string study, string? outOption)
    {
        string db = Path.Combine(StudyFolder(study, outOption), "study.db");
        if (string.IsNullOrWhiteSpace(storage) && !File.Exists(db))
            throw new UserError($"no study named '{study}': {db} does not exist; {LocalStudiesText()}");
        var store = OpenStorage(storage, study, outOption, readOnly: true);
        try
        {
            if (Guard(() => store.Find(study)) is not null) return store;
            var names = Guard(store.Studies);
            throw new UserError($"no study named '{study}' in {store.Description}; " +
                                (names.Count == 0 ? "it holds no study" : $"its studies: {string.Join(", ", names)}"));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The local SQLite studies (runs/sweeps/&lt;name&gt;/study.db): name and file.</summary>
    public static IReadOnlyList<(string Name, string Path)> LocalStudies()
    {
        string root = Path.Combine(RunFolder.DefaultRoot, "sweeps");
        if (!Directory.Exists(root)) return [];
        return Directory.GetFiles(root, "study.db", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(db => (Path.GetFileName(Path.GetDirectoryName(db))!, db)).ToList();
    }

    private static string LocalStudiesText()
    {
        var local = LocalStudies();
        return local.Count == 0 ? $"there are no studies under {Path.Combine(RunFolder.DefaultRoot, "sweeps")}"
            : $"the studies under {Path.Combine(RunFolder.DefaultRoot, "sweeps")}: {string.Join(", ", local.Select(s => s.Name))} (or give --out DIR or --storage)";
    }

    /// <summary>The storage spec to hand to worker processes: the same storage, with a SQLite path made absolute.</summary>
    public static string WorkerStorageSpec(IStudyStorage storage, string? spec) =>
        storage is SqliteStudyStorage sqlite ? sqlite.Path : spec!;

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

    /// <summary>The digit runner, made (the data set loaded, once per worker process) when the first trial is claimed.</summary>
    public static ITrialRunner LazyRunner(Sweeps.Trials.StudyConfig config, string? dataOption, int threads) =>
        new LazyTrialRunner(() => LoadRunner(config, dataOption, threads));

    private static DigitTrialRunner LoadRunner(Sweeps.Trials.StudyConfig config, string? dataOption, int threads)
    {
        var spec = DatasetAccess.Resolve(config.Dataset, classNames: config.Classes);
        string folder = DatasetAccess.Ensure(DataLocation.Resolve(dataOption), spec, cancel: Interrupt.Token);
        var trainImages = DatasetAccess.Load(spec, folder, DataSplit.Train);
        var testImages = DatasetAccess.Load(spec, folder, DataSplit.Test);
        TorchRuntime.SetThreads(threads);
        return new DigitTrialRunner(new TensorDataset(trainImages, Normalization.Mnist), new TensorDataset(testImages, Normalization.Mnist), threads, ownsData: true);
    }

    /// <summary>Runs a library call, turning its argument and storage errors into one-line user errors.</summary>
    public static T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is ArgumentException or StorageException or InvalidDataException)
        {
            throw new UserError(e.Message);
        }
    }
}
