using System.Globalization;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Benchmarks;

/// <summary>What <see cref="TunerComparison.Run"/> compares: tuners on one space at the same compute, over seeds.</summary>
public sealed record TunerComparisonOptions
{
    /// <summary>Where the studies are kept (one SQLite file each): a second run resumes them.</summary>
    public required string Folder { get; init; }
    /// <summary>Makes the runner that trains the trials (shared by every study; disposed by the caller).</summary>
    public required ITrialRunner Runner { get; init; }
    public string Space { get; init; } = DefaultSpace;
    public IReadOnlyList<string> Tuners { get; init; } = ["random", "tpe", "asha"];
    public int Seeds { get; init; } = 3;
    /// <summary>Trials of the tuners that train every trial fully; successive halving gets their epochs' worth.</summary>
    public int Trials { get; init; } = 20;
    public int Epochs { get; init; } = 3;
    public int TrainLimit { get; init; } = 10_000;
    public int TestLimit { get; init; } = 2_000;

    /// <summary>The assignment's space with the learning rate (log scale) and the momentum, as the issue asks.</summary>
    public const string DefaultSpace = "dropout=0.3..0.7;batch=40,80,100,120,150;kernel=4,5;lr=0.001..0.1:log;momentum=0.0..0.95";
}

/// <summary>One study of the comparison: the best full-epoch accuracy after each trial and after each CPU second.</summary>
public sealed record TunerRun(string Tuner, long Seed, int Configurations, IReadOnlyList<double> BestByTrial, IReadOnlyList<(double CpuSeconds, double Best)> BestByCpu)
{
    public double FinalBest => BestByTrial.Count == 0 ? double.NaN : BestByTrial[^1];
    public double CpuSeconds => BestByCpu.Count == 0 ? 0 : BestByCpu[^1].CpuSeconds;

    /// <summary>Trials (1-based) until the best reached <paramref name="target"/>, or null when it never did.</summary>
    public int? TrialsToReach(double target)
    {
        int i = BestByTrial.ToList().FindIndex(b => b >= target);
        return i < 0 ? null : i + 1;
    }

    public double? CpuToReach(double target) => BestByCpu.Where(p => p.Best >= target).Select(p => (double?)p.CpuSeconds).FirstOrDefault();
}

/// <summary>Every study of the comparison, and the summary the issue asks for.</summary>
public sealed record TunerComparisonResult(TunerComparisonOptions Options, IReadOnlyList<TunerRun> Runs)
{
    public IEnumerable<TunerRun> Of(string tuner) => Runs.Where(r => r.Tuner == tuner);

    /// <summary>For each tuner: mean final best, mean CPU seconds, and the mean trials and CPU seconds it took to reach random search's final best of the same seed.</summary>
    public IReadOnlyList<(string Tuner, double MeanBest, double MeanCpu, double? MeanTrialsToRandomBest, double? MeanCpuToRandomBest, int Reached)> Summary()
    {
        var list = new List<(string, double, double, double?, double?, int)>();
        foreach (string tuner in Options.Tuners)
        {
            var runs = Of(tuner).ToList();
            // Against random search's final best of the same seed; a run that never reached it counts as all its
            // configurations plus one (a lower bound of what it would need).
            var reach = runs.Select(r => Runs.FirstOrDefault(x => x.Tuner == "random" && x.Seed == r.Seed) is { } random
                ? (Trials: r.TrialsToReach(random.FinalBest), Cpu: r.CpuToReach(random.FinalBest), r.Configurations)
                : (Trials: null, Cpu: null, r.Configurations)).ToList();
            int reached = reach.Count(x => x.Trials is not null);
            double? trials = Runs.Any(x => x.Tuner == "random") ? reach.Average(x => (double)(x.Trials ?? x.Configurations + 1)) : null;
            double? cpu = reached == runs.Count && runs.Count > 0 ? reach.Average(x => x.Cpu!.Value) : null;
            list.Add((tuner, runs.Average(r => r.FinalBest), runs.Average(r => r.CpuSeconds), trials, cpu, reached));
        }
        return list;
    }
}

/// <summary>
/// Runs each tuner on the same space and data, seed by seed, at the same compute (trials x epochs; successive
/// halving gets as many configurations as fit in those epochs), and records the best accuracy against trials and
/// against CPU seconds. Each study is an ordinary one (SQLite in <see cref="TunerComparisonOptions.Folder"/>),
/// so a stopped comparison resumes.
/// </summary>
public static class TunerComparison
{
    public static TunerComparisonResult Run(TunerComparisonOptions options, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(options.Folder);
        var runs = new List<TunerRun>();
        int total = options.Tuners.Count * options.Seeds, done = 0;
        foreach (long seed in Enumerable.Range(1, options.Seeds).Select(s => (long)s))
        foreach (string name in options.Tuners)
        {
            cancel.ThrowIfCancellationRequested();
            string tuner = TunerFactory.Normalize(name);
            var config = Config(options, tuner, seed);
            progress?.Report(WorkProgress.Line($"{tuner}, seed {seed}: {config.Trials} configurations, {options.Trials * options.Epochs} epochs"));
            string study = Path.Combine(options.Folder, config.Name);
            using (var storage = new SqliteStudyStorage(Path.Combine(options.Folder, config.Name + ".db")))
            {
                var result = StudyOptimizer.Optimize(new StudyOptimizeOptions
                {
                    Storage = storage, Study = config, Folder = study, Workers = 1, Runner = _ => new SharedRunner(options.Runner),
                }, null, cancel);
                if (result.Outcome != StudyOutcome.Finished) throw new OperationCanceledException($"{config.Name}: {result.Outcome}");
                runs.Add(Curves(tuner, seed, config.Trials, result.Study, config.Epochs));
            }
            progress?.Report(new WorkProgress(++done, total, $"{tuner} seed {seed}: best {runs[^1].FinalBest.ToString("P2", CultureInfo.InvariantCulture)}"));
        }
        return new TunerComparisonResult(options, runs);
    }

    /// <summary>The study of one tuner and seed. Successive halving: as many configurations as the others' epochs pay for.</summary>
    public static StudyConfig Config(TunerComparisonOptions options, string tuner, long seed)
    {
        int trials = options.Trials;
        var config = new StudyConfig
        {
            Name = $"{tuner}-seed{seed}", Tuner = tuner, Space = Space.SearchSpace.Parse(options.Space).ToString(), Trials = trials,
            Epochs = options.Epochs, Eta = 3, MinEpochs = 1, TrainLimit = options.TrainLimit, TestLimit = options.TestLimit, Seed = seed,
        };
        if (tuner is "asha" or "tpe-asha")
        {
            double budget = (double)options.Trials * options.Epochs;
            int n = options.Trials;
            while (new SuccessiveHalvingTuner(config.ParseSpace(), n + 1, options.Epochs, config.Eta, config.MinEpochs, seed).EstimatedEpochs <= budget) n++;
            config = config with { Trials = n };
        }
        return config;
    }

    private static TunerRun Curves(string tuner, long seed, int configurations, Study study, int epochs)
    {
        var ordered = study.Trials.OrderBy(t => t.Number).ToList();
        double best = 0;
        var byTrial = ordered.Select(t => best = Math.Max(best, t.EpochsDone >= epochs && t.Accuracy is { } a ? a : 0)).ToList();
        double cpu = 0, bestCpu = 0;
        var byCpu = study.Trials.OrderBy(t => t.Finished ?? DateTime.MaxValue).ThenBy(t => t.Number)
            .Select(t => (cpu += t.CpuSeconds, bestCpu = Math.Max(bestCpu, t.EpochsDone >= epochs && t.Accuracy is { } a ? a : 0))).ToList();
        return new TunerRun(tuner, seed, configurations, byTrial, byCpu);
    }

    /// <summary>The caller's runner, not disposed with each study.</summary>
    private sealed class SharedRunner(ITrialRunner inner) : ITrialRunner
    {
        public bool Run(TrialSettings settings, ITrialReporter reporter, CancellationToken cancel) => inner.Run(settings, reporter, cancel);
        public void Dispose() { }
    }
}
