using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Sweeps.Reporting;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;
using MLPipelines.Training;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp sweep run</c>: creates the study (or resumes it) and works on it, in this process or in --workers worker
/// processes; writes the report when the study is finished.
/// </summary>
public static class SweepRunCommand
{
    public static Command Create()
    {
        var study = SweepSetup.Study();
        var storage = SweepSetup.Storage();
        var outDir = SweepSetup.Out();
        var tuner = new Option<string>("--tuner") { Description = "grid, random, ofat (one factor at a time around --base) or asha (successive halving)", DefaultValueFactory = _ => "grid" };
        var space = new Option<string?>("--space")
        {
            Description = "Search space (default the assignment's: dropout=0.3,0.4,0.5,0.6,0.7;batch=40,80,100,120,150;kernel=4,5). " +
                          "Ranges: name=low..high[:int][:log][:points]. Parameters: " + string.Join(", ", DigitTrialRunner.KnownParameters.Keys),
            HelpName = "SPEC",
        };
        var basePoint = new Option<string?>("--base") { Description = "ofat's base point (default dropout=0.5;batch=100;kernel=5)", HelpName = "POINT" };
        var trials = new Option<int>("--trials") { Description = "Configurations for random (default 20) and asha (default: the grid's size)" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of a full trial (asha's top rung)", DefaultValueFactory = _ => 3 };
        var eta = new Option<int>("--eta") { Description = "asha: keep the best 1/eta at each rung", DefaultValueFactory = _ => 3 };
        var minEpochs = new Option<int>("--min-epochs") { Description = "asha: epochs of the first rung", DefaultValueFactory = _ => 1 };
        var recipe = new Option<string>("--recipe") { Description = "Training recipe the parameters modify (assignment or tuned)", DefaultValueFactory = _ => "assignment" };
        var trainLimit = new Option<int>("--train-limit") { Description = "Train on the first N images only (0 = all 60,000)" };
        var testLimit = new Option<int>("--test-limit") { Description = "Test on the first N images only (0 = all 10,000)" };
        var seed = CommonOptions.Seed();
        var dataset = new DatasetOptions();
        // Measured on the 2-core machine: two 1-thread workers trained 4 epochs in 33 s and 13 CPU-s, one 2-thread worker
        // in 115 s and 57 CPU-s (libtorch's threads spin waiting for each other on a busy machine). One worker per core.
        var workers = new Option<int>("--workers")
        {
            Description = "Worker processes to start on this machine, each training one trial at a time and loading the data once " +
                          "(default: one per core, at most 4; 1 runs the trials in this process)",
            DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4),
        };
        var threads = SweepSetup.Threads();
        var budget = SweepSetup.Budget();
        var maxTrials = SweepSetup.MaxTrials();
        var stale = SweepSetup.Stale();
        var data = CommonOptions.Data();
        var command = new Command("run", "Create or resume a study and run its trials")
        {
            study, storage, outDir, tuner, space, basePoint, trials, epochs, eta, minEpochs, recipe, trainLimit, testLimit, seed,
            workers, threads, budget, maxTrials, stale, data,
        };
        dataset.AddTo(command);
        command.WithExamples(
            "mlp sweep run --study grid --tuner grid --epochs 3                 (the assignment's 50 combinations)",
            "mlp sweep run --study asha --tuner asha --epochs 9 --eta 3         (successive halving on the same space)",
            "mlp sweep run --study ofat --tuner ofat --base \"dropout=0.5;batch=100;kernel=5\"",
            "mlp sweep run --study lr --tuner random --trials 12 --space \"lr=0.001..0.1:log;momentum=0.5,0.9\"",
            "mlp sweep run --study grid --workers 1 --threads 2                 (one trial at a time, in this process)",
            "mlp sweep run --study shared --storage postgres --tuner grid       (PostgreSQL from $MLP_POSTGRES; add workers anywhere with 'mlp sweep worker')",
            "mlp sweep run --study grid                                          (after Ctrl+C or kill -9: continues where it stopped)");

        Option[] defining = [tuner, space, basePoint, trials, epochs, eta, minEpochs, recipe, trainLimit, testLimit, seed, dataset.Dataset, dataset.Classes];
        command.SetAction(parse =>
        {
            string name = parse.GetValue(study)!;
            StudyConfig Build() => SweepSetup.Guard(() => BuildConfig(parse.GetValue(tuner)!, parse.GetValue(space), parse.GetValue(basePoint), name,
                parse.GetValue(trials), parse.GetValue(epochs), parse.GetValue(eta), parse.GetValue(minEpochs), parse.GetValue(recipe)!,
                parse.GetValue(trainLimit), parse.GetValue(testLimit), parse.GetValue(seed), dataset.Resolve(parse)));
            // Settings given: check them before touching the storage. None given: resume the study as it was created.
            bool given = defining.Any(o => parse.GetResult(o) is { Implicit: false });
            var config = given ? Build() : null;
            using var store = SweepSetup.OpenStorage(parse.GetValue(storage), name, parse.GetValue(outDir));
            config ??= SweepSetup.Guard(() => store.Find(name)) ?? Build();
            int workerCount = parse.GetValue(workers);
            if (workerCount < 1) throw new UserError($"--workers must be at least 1 (got {workerCount})");
            int perWorker = SweepSetup.ThreadsPerWorker(parse.GetValue(threads), workerCount);
            var timeBudget = SweepSetup.ParseBudget(parse.GetValue(budget));
            var staleAfter = TimeSpan.FromSeconds(Math.Max(5, parse.GetValue(stale)));
            string folder = SweepSetup.StudyFolder(name, parse.GetValue(outDir));

            var (outcome, _) = Execute(store, config, SweepSetup.WorkerStorageSpec(store, parse.GetValue(storage)), folder, workerCount, perWorker,
                parse.GetValue(data), timeBudget, parse.GetValue(maxTrials), staleAfter);
            if (outcome == SweepOutcome.Interrupted)
            {
                Console.WriteLine($"stopped; continue with the same command (mlp sweep run --study {name} ...)");
                return ExitCodes.Interrupted;
            }
            if (outcome == SweepOutcome.Unfinished)
                Console.WriteLine("the study is not finished (budget or --max-trials reached); run the same command to continue");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>How a run of a study ended.</summary>
    public enum SweepOutcome { Finished, Unfinished, Interrupted }

    /// <summary>
    /// Creates or resumes the study and works on it: in this process (<paramref name="workerCount"/> 1) or in worker
    /// processes. Writes the report into <paramref name="folder"/>/report when the study is finished.
    /// </summary>
    /// <param name="workerStorage">The storage as worker processes open it (<see cref="SweepSetup.WorkerStorageSpec"/>).</param>
    public static (SweepOutcome Outcome, Study Study) Execute(IStudyStorage store, StudyConfig config, string workerStorage, string folder, int workerCount,
        int perWorker, string? data, TimeSpan? timeBudget, int? maxTrials, TimeSpan staleAfter)
    {
        string name = config.Name;
        var studyTuner = SweepSetup.Guard(() => Experiment.Prepare(store, config));
        var stored = store.Find(name)!;
        int requeued = store.RequeueStale(name, staleAfter);
        var before = store.Load(name);
        Console.WriteLine($"study '{name}' in {store.Description}: tuner {stored.Tuner}, {stored.Epochs} epochs per full trial, space {stored.Space}");
        if (before.Trials.Any(t => t.EpochsDone > 0))
            Console.WriteLine($"resuming: {before.Count(TrialState.Complete)} complete, {before.Count(TrialState.Pruned)} pruned, " +
                              $"{before.Count(TrialState.Failed)} failed, {before.Count(TrialState.Waiting)} waiting" +
                              (requeued > 0 ? $" ({requeued} re-queued from stopped workers)" : ""));
        Console.WriteLine($"{workerCount} worker{(workerCount == 1 ? "" : "s")} x {perWorker} thread{(perWorker == 1 ? "" : "s")}; study folder {folder}");

        var clock = Stopwatch.StartNew();
        bool interrupted = workerCount == 1
            ? RunHere(store, stored, studyTuner, data, perWorker, timeBudget, maxTrials, staleAfter, before)
            : RunWorkers(store, name, workerStorage, folder, workerCount, perWorker, data, timeBudget, maxTrials, staleAfter, studyTuner.EstimatedEpochs);

        var after = store.Load(name);
        PrintSummary(after, clock.Elapsed);
        if (interrupted) return (SweepOutcome.Interrupted, after);
        bool finished = after.Trials.All(t => t.State is not (TrialState.Waiting or TrialState.Running)) && studyTuner.Propose(after.Trials) is Proposal.Done;
        if (!finished) return (SweepOutcome.Unfinished, after);
        var files = SweepReport.Write(after, Path.Combine(folder, "report"));
        Console.WriteLine($"report: {files[0]}");
        return (SweepOutcome.Finished, after);
    }

    public static StudyConfig BuildConfig(string tuner, string? space, string? basePoint, string name, int trials, int epochs, int eta, int minEpochs,
        string recipe, int trainLimit, int testLimit, long seed, Data.Datasets.IdxDatasetSpec dataset)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"bad study name '{name}': use letters, digits, '-', '_' and '.'");
        if (epochs < 1) throw new ArgumentException($"--epochs must be at least 1 (got {epochs})");
        if (trials < 0) throw new ArgumentException($"--trials must not be negative (got {trials})");
        Recipes.Get(recipe);
        var parsed = space is null ? SearchSpace.Assignment : SearchSpace.Parse(space);
        DigitTrialRunner.Validate(parsed);
        string normalized = TunerFactory.Normalize(tuner);
        string? basePointText = null;
        if (normalized == "ofat")
        {
            var point = basePoint is null ? TunerFactory.DefaultBase(parsed) : ParameterSet.Parse(basePoint);
            parsed.Validate(point);
            basePointText = point.Key;
        }
        else if (basePoint is not null)
        {
            throw new ArgumentException("--base is for --tuner ofat");
        }
        var config = new StudyConfig
        {
            Name = name, Tuner = normalized, Space = parsed.ToString(), Base = basePointText, Trials = trials, Epochs = epochs,
            Eta = eta, MinEpochs = minEpochs, Recipe = recipe.ToLowerInvariant(), Dataset = dataset.Reference,
            Classes = dataset.Location is null ? null : dataset.ClassNames,
            TrainLimit = trainLimit, TestLimit = testLimit, Seed = seed,
        };
        TunerFactory.Create(config); // checks eta, min epochs and the base point
        foreach (var point in TunerFactory.Create(config).Initial().Take(1))
            DigitTrialRunner.Configure(config, point, 1);
        return config;
    }

    private static bool RunHere(IStudyStorage store, StudyConfig config, ITuner tuner, string? data, int threads, TimeSpan? budget,
        int? maxTrials, TimeSpan staleAfter, Study before)
    {
        using var runner = SweepSetup.LazyRunner(config, data, threads);
        var options = new WorkerOptions { TimeBudget = budget, MaxTrials = maxTrials, StaleAfter = staleAfter };
        var summary = ProgressDisplay.Run($"sweep {config.Name}", Math.Max(tuner.EstimatedEpochs, before.EpochsTrained + 1), sink =>
        {
            var monitor = new SweepConsoleMonitor(sink, before.EpochsTrained);
            return new StudyWorker(store, config.Name, tuner, runner, options, monitor).Run(Interrupt.Token);
        });
        return summary.Interrupted;
    }

    /// <summary>
    /// Starts worker processes and shows the study's progress from the storage. A worker stops (giving its trial back)
    /// when this process closes its standard input: on Ctrl+C, and when this process dies, even by kill -9.
    /// </summary>
    private static bool RunWorkers(IStudyStorage store, string name, string storageSpec, string folder, int count, int threads, string? data,
        TimeSpan? budget, int? maxTrials, TimeSpan staleAfter, double estimatedEpochs)
    {
        string logs = Path.Combine(folder, "workers");
        Directory.CreateDirectory(logs);
        var processes = new List<Process>();
        for (int i = 1; i <= count; i++)
        {
            var args = new List<string> { "sweep", "worker", "--storage", storageSpec, "--study", name, "--threads", threads.ToString(CultureInfo.InvariantCulture),
                "--stale", ((int)staleAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture), "--attached" };
            if (data is not null) args.AddRange(["--data", Path.GetFullPath(data)]);
            if (budget is not null) args.AddRange(["--budget", ((int)Math.Ceiling(budget.Value.TotalSeconds)).ToString(CultureInfo.InvariantCulture)]);
            if (maxTrials is not null) args.AddRange(["--max-trials", maxTrials.Value.ToString(CultureInfo.InvariantCulture)]);
            processes.Add(WorkerProcess.Start(args, Path.Combine(logs, $"worker-{i}.log")));
        }
        Console.WriteLine($"started {count} workers (logs in {logs})");
        using var stop = Interrupt.Token.Register(() => processes.ForEach(WorkerProcess.Detach));
        var seen = new HashSet<(int, string, int)>();
        ProgressDisplay.Run($"sweep {name}", estimatedEpochs, sink =>
        {
            while (true)
            {
                bool allExited = processes.All(p => p.HasExited);
                var study = store.Load(name);
                foreach (var t in study.Trials.Where(t => t.State.IsFinished()))
                    if (seen.Add((t.Number, t.State.ToText(), t.EpochsDone)))
                        sink.Line(SweepConsoleMonitor.Describe(t));
                int running = study.Count(TrialState.Running);
                sink.Report(study.EpochsTrained, $"{running} running, {study.Count(TrialState.Complete)} complete, {study.Count(TrialState.Pruned)} pruned");
                if (allExited) break;
                Thread.Sleep(1000);
            }
            return 0;
        });
        foreach (var (p, i) in processes.Select((p, i) => (p, i + 1)))
            if (p.ExitCode is not (ExitCodes.Ok or ExitCodes.Interrupted))
                Console.Error.WriteLine($"worker {i} exited with code {p.ExitCode}; see {Path.Combine(logs, $"worker-{i}.log")}");
        return Interrupt.Token.IsCancellationRequested;
    }

    private static void PrintSummary(Study study, TimeSpan elapsed)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{study.Count(TrialState.Complete)} complete, {study.Count(TrialState.Pruned)} pruned, {study.Count(TrialState.Failed)} failed, " +
            $"{study.Count(TrialState.Waiting) + study.Count(TrialState.Running)} left; {study.EpochsTrained} epochs trained, " +
            $"compute {study.WallSeconds:F0} s wall / {study.CpuSeconds:F0} s CPU; this run {ProgressDisplay.Format(elapsed)}"));
        if (study.Best is { } best)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: trial {best.Number} {best.Parameters}: {best.Accuracy:P2}"));
    }
}
