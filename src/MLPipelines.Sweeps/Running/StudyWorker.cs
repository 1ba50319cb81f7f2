using System.Diagnostics;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// The worker loop: claim a trial, train it with a heartbeat beating, record each epoch with its checkpoint, mark
/// it complete (full epochs), pruned (stopped at a rung) or failed; again until the study is done or the budget is
/// spent. Ctrl+C gives the held trial back to the queue (state waiting; its finished epochs are kept), so nothing is
/// lost and nothing runs twice. Any number of workers, in any processes, can share a study.
/// </summary>
public sealed class StudyWorker(IStudyStorage storage, string study, ITuner tuner, ITrialRunner runner,
    WorkerOptions? options = null, IStudyMonitor? monitor = null)
{
    private readonly IStudyStorage storage = storage;
    private readonly string study = study;
    private readonly WorkerOptions options = options ?? new WorkerOptions();
    private readonly IStudyMonitor monitor = monitor ?? new NullMonitor();
    private double best = double.NegativeInfinity;

    public string Id => options.Id;

    public WorkerSummary Run(CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        int trials = 0, failed = 0;
        var config = storage.Find(study) ?? throw new ArgumentException($"no study named '{study}' in {storage.Description}");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, options.Abandon);
        var token = linked.Token;
        while (!token.IsCancellationRequested)
        {
            if (options.MaxTrials is int max && trials >= max) break;
            if (options.TimeBudget is TimeSpan budget && clock.Elapsed >= budget) break;
            switch (storage.Claim(study, options.Id, tuner, options.StaleAfter))
            {
                case Claim.Work work:
                    trials++;
                    if (!RunTrial(work.Trial, config, token)) failed++;
                    break;
                case Claim.Wait:
                    monitor.ReportWaiting();
                    token.WaitHandle.WaitOne(options.PollInterval);
                    break;
                default:
                    return new WorkerSummary(trials, failed, false, true, clock.Elapsed);
            }
        }
        return new WorkerSummary(trials, failed, token.IsCancellationRequested, false, clock.Elapsed);
    }

    /// <summary>Runs a claimed trial; false when it failed.</summary>
    private bool RunTrial(Trial trial, StudyConfig config, CancellationToken token)
    {
        monitor.ReportRunningTrial(trial);
        using var lost = new CancellationTokenSource();
        using var trialToken = CancellationTokenSource.CreateLinkedTokenSource(token, lost.Token);
        using var heartbeat = new Timer(_ => Beat(trial, lost), null, options.HeartbeatInterval, options.HeartbeatInterval);
        var reporter = new Reporter(this, trial);
        try
        {
            byte[]? checkpoint = trial.History.Count > 0 ? storage.LoadCheckpoint(study, trial.Number) : null;
            bool reached = runner.Run(new TrialSettings(trial, config, checkpoint), reporter, trialToken.Token);
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            if (!reached)
            {
                // Stopped (Ctrl+C, budget, parent gone) or taken away: give it back so it resumes from its last epoch.
                storage.Release(study, trial.Number, options.Id);
                return true;
            }
            var state = reporter.EpochsDone >= config.Epochs ? TrialState.Complete : TrialState.Pruned;
            if (!storage.Finish(study, trial.Number, options.Id, state)) return true;
            var finished = storage.Load(study).Trials.First(t => t.Number == trial.Number);
            monitor.ReportCompletedTrial(finished);
            if (state == TrialState.Complete && finished.Accuracy is double a && a > best)
            {
                best = a;
                monitor.ReportBestTrial(finished);
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            storage.Release(study, trial.Number, options.Id);
            return true;
        }
        catch (RunnerUnavailableException)
        {
            storage.Release(study, trial.Number, options.Id);
            throw;
        }
        catch (Exception e) when (e is not StorageException)
        {
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            storage.Finish(study, trial.Number, options.Id, TrialState.Failed, e.Message.ReplaceLineEndings(" "));
            monitor.ReportFailTrial(trial, e);
            return false;
        }
    }

    private void Beat(Trial trial, CancellationTokenSource lost)
    {
        try
        {
            if (!storage.Heartbeat(study, trial.Number, options.Id)) lost.Cancel();
        }
        catch (Exception e) when (e is StorageException or InvalidOperationException or System.Data.Common.DbException or ObjectDisposedException)
        {
            // A missed beat is harmless; the next one, or the epoch's save, tries again.
        }
    }

    private sealed class Reporter(StudyWorker worker, Trial trial) : ITrialReporter
    {
        public int EpochsDone { get; private set; } = trial.EpochsDone;

        public bool ReportEpoch(EpochRecord record, byte[]? checkpoint, ResourceUse use)
        {
            if (!worker.storage.SaveEpoch(worker.study, trial.Number, worker.options.Id, record, checkpoint, use)) return false;
            EpochsDone = Math.Max(EpochsDone, record.Epoch);
            worker.monitor.ReportEpoch(trial, record);
            return true;
        }
    }

    private sealed class NullMonitor : IStudyMonitor;
}
