using System.Diagnostics;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Reporting;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Running;

/// <summary>How a call of <see cref="StudyOptimizer.Optimize"/> ended.</summary>
public enum StudyOutcome
{
    /// <summary>Every trial is done and the tuner proposes no more: the report is written.</summary>
    Finished,
    /// <summary>A budget or the trial limit stopped it; the same call continues the study.</summary>
    Unfinished,
    /// <summary>Cancelled; running trials were given back and the same call continues them.</summary>
    Interrupted,
}

/// <summary>What <see cref="StudyOptimizer.Optimize"/> did: the study as it stands, its report when finished.</summary>
/// <param name="Requeued">Trials of dead workers (no heartbeat for the stale time) put back in the queue first.</param>
/// <param name="WorkerFailures">A line for each worker process that exited with an error, naming its log.</param>
public sealed record StudyOptimizeResult(StudyOutcome Outcome, Study Study, string? Report, int Requeued, TimeSpan Elapsed,
    IReadOnlyList<string> WorkerFailures);

/// <summary>
/// Optuna's <c>study.optimize</c> (AutoML's <c>experiment.Run</c>) for a study in storage: creates it or resumes it,
/// re-queues the trials of dead workers, then trains trials until the tuner is done, a budget is spent or the token
/// is cancelled: in this process (<see cref="StudyOptimizeOptions.Workers"/> 1) or in worker processes, which it
/// starts, watches through the storage and stops. A finished study gets its report in Folder/report.
/// <code>
/// using var storage = StudyFolders.Open(null, "grid");
/// var result = StudyOptimizer.Optimize(new StudyOptimizeOptions
/// {
///     Storage = storage, Study = new StudyDefinition { Name = "grid", Epochs = 3 }.ToConfig(), Folder = StudyFolders.Of("grid"),
///     Runner = config => DigitTrialRunner.ForStudy(config, DataLocation.Resolve(null), threads: 2),
/// }, progress, cancel);
/// </code>
/// </summary>
public static class StudyOptimizer
{
    public static StudyOptimizeResult Optimize(StudyOptimizeOptions options, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        var store = options.Storage;
        string name = options.Study.Name;
        var tuner = Experiment.Prepare(store, options.Study);
        var stored = store.Find(name)!;
        int requeued = store.RequeueStale(name, options.StaleAfter);
        var before = store.Load(name);
        progress?.Report(WorkProgress.Line($"study '{name}' in {store.Description}: tuner {stored.Tuner}, {stored.Epochs} epochs per full trial, space {stored.Space}"));
        if (before.Trials.Any(t => t.EpochsDone > 0))
            progress?.Report(WorkProgress.Line($"resuming: {before.Count(TrialState.Complete)} complete, {before.Count(TrialState.Pruned)} pruned, " +
                                               $"{before.Count(TrialState.Failed)} failed, {before.Count(TrialState.Waiting)} waiting" +
                                               (requeued > 0 ? $" ({requeued} re-queued from stopped workers)" : "")));
        int workers = options.Workers;
        progress?.Report(WorkProgress.Line($"{workers} worker{(workers == 1 ? "" : "s")} x {options.ThreadsPerWorker} thread{(options.ThreadsPerWorker == 1 ? "" : "s")}; " +
                                           $"study folder {options.Folder}"));

        var clock = Stopwatch.StartNew();
        double total = Math.Max(tuner.EstimatedEpochs, before.EpochsTrained + 1);
        var failures = new List<string>();
        bool interrupted;
        if (workers == 1)
        {
            var runnerFactory = options.Runner ?? throw new ArgumentException("Runner is needed to train in this process (Workers 1)");
            using var runner = runnerFactory(stored);
            var worker = new WorkerOptions { TimeBudget = options.TimeBudget, MaxTrials = options.MaxTrials, StaleAfter = options.StaleAfter };
            var monitor = new ProgressStudyMonitor(progress, total, before.EpochsTrained, budget: options.TimeBudget);
            interrupted = new StudyWorker(store, name, tuner, runner, worker, monitor).Run(cancel).Interrupted;
        }
        else
        {
            interrupted = RunWorkers(options, total, failures, progress, cancel);
        }

        var after = store.Load(name);
        if (interrupted) return new StudyOptimizeResult(StudyOutcome.Interrupted, after, null, requeued, clock.Elapsed, failures);
        bool finished = after.Trials.All(t => t.State is not (TrialState.Waiting or TrialState.Running)) && tuner.Propose(after.Trials) is Proposal.Done;
        if (!finished) return new StudyOptimizeResult(StudyOutcome.Unfinished, after, null, requeued, clock.Elapsed, failures);
        var files = SweepReport.Write(after, Path.Combine(options.Folder, "report"));
        return new StudyOptimizeResult(StudyOutcome.Finished, after, files[0], requeued, clock.Elapsed, failures);
    }

    /// <summary>
    /// Starts the worker processes and follows the study in the storage until they have all exited. Cancelling closes
    /// their standard input: each gives its trial back and stops.
    /// </summary>
    private static bool RunWorkers(StudyOptimizeOptions options, double total, List<string> failures, IProgress<WorkProgress>? progress,
        CancellationToken cancel)
    {
        var start = options.StartWorker ?? throw new ArgumentException("StartWorker is needed to train in worker processes (Workers > 1)");
        var clock = Stopwatch.StartNew();
        string logs = Path.Combine(options.Folder, "workers");
        Directory.CreateDirectory(logs);
        string Log(int i) => Path.Combine(logs, $"worker-{i}.log");
        var processes = Enumerable.Range(1, options.Workers).Select(i => start(i, Log(i))).ToList();
        progress?.Report(WorkProgress.Line($"started {processes.Count} workers (logs in {logs})"));
        using (cancel.Register(() => processes.ForEach(WorkerProcess.Detach)))
        {
            var seen = new HashSet<(int, string, int)>();
            while (true)
            {
                bool allExited = processes.All(p => p.HasExited);
                var study = options.Storage.Load(options.Study.Name);
                foreach (var t in study.Trials.Where(t => t.State.IsFinished()))
                    if (seen.Add((t.Number, t.State.ToText(), t.EpochsDone)))
                        progress?.Report(WorkProgress.Line(t.Describe()));
                progress?.Report(ProgressStudyMonitor.Fraction(study.EpochsTrained, total, clock.Elapsed, options.TimeBudget,
                    $"{study.Count(TrialState.Running)} running, {study.Count(TrialState.Complete)} complete, {study.Count(TrialState.Pruned)} pruned"));
                if (allExited) break;
                Thread.Sleep(options.PollInterval);
            }
        }
        for (int i = 0; i < processes.Count; i++)
            if (processes[i].ExitCode is not (WorkerProcess.ExitOk or WorkerProcess.ExitInterrupted))
                failures.Add($"worker {i + 1} exited with code {processes[i].ExitCode}; see {Log(i + 1)}");
        return cancel.IsCancellationRequested;
    }
}
