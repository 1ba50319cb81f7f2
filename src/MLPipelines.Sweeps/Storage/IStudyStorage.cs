using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Storage;

/// <summary>What a worker gets when it asks for work.</summary>
public abstract record Claim
{
    /// <summary>The trial is this worker's now (state running); train it to its TargetEpochs.</summary>
    public sealed record Work(Trial Trial) : Claim;
    /// <summary>Nothing to do now, but other workers' trials are running (they may finish, die, or unlock promotions).</summary>
    public sealed record Wait : Claim;
    /// <summary>The study is finished.</summary>
    public sealed record Done : Claim;
}

/// <summary>Resources a trial's epoch used: added to the trial's totals.</summary>
public sealed record ResourceUse(double WallSeconds, double CpuSeconds, double PeakMemoryMb, int Threads);

/// <summary>
/// Where studies live (Optuna's storage): their configuration and trials, shared by every worker. Every change to a
/// trial a worker holds is guarded by the worker's id, so a worker whose trial was re-queued (it stopped beating)
/// cannot overwrite the new holder's work; those calls return false.
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>Where the storage is, for messages ("sqlite runs/sweeps/x/study.db", "postgres 127.0.0.1:5432/mlp").</summary>
    string Description { get; }

    /// <summary>
    /// Creates the study and queues its initial trials in one transaction, or, when it exists, checks that
    /// <paramref name="config"/> matches it. Returns the stored configuration.
    /// </summary>
    StudyConfig CreateOrOpen(StudyConfig config, IReadOnlyList<ParameterSet> initial);

    StudyConfig? Find(string study);
    IReadOnlyList<string> Studies();
    Study Load(string study);
    void Delete(string study);

    /// <summary>
    /// Re-queues dead workers' trials (heartbeat older than <paramref name="staleAfter"/>, or a process of this
    /// machine that no longer exists), then claims the lowest waiting trial, else asks the tuner under the study's lock.
    /// </summary>
    Claim Claim(string study, string worker, ITuner tuner, TimeSpan staleAfter);

    bool Heartbeat(string study, int number, string worker);

    /// <summary>Records a finished epoch with the checkpoint to resume from, atomically.</summary>
    bool SaveEpoch(string study, int number, string worker, EpochRecord record, byte[]? checkpoint, ResourceUse use);

    byte[]? LoadCheckpoint(string study, int number);

    bool Finish(string study, int number, string worker, TrialState state, string? error = null);

    /// <summary>Gives a held trial back to the queue (Ctrl+C): another worker, or the next run, resumes it.</summary>
    bool Release(string study, int number, string worker);

    /// <summary>Re-queues trials whose workers are dead; returns how many.</summary>
    int RequeueStale(string study, TimeSpan staleAfter);
}
