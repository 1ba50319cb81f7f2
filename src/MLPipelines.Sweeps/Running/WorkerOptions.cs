using MLPipelines.Sweeps.Storage;

namespace MLPipelines.Sweeps.Running;

/// <summary>How a worker behaves: its id, heartbeat, when others count as dead, and its budget.</summary>
public sealed record WorkerOptions
{
    public string Id { get; init; } = WorkerIdentity.New();
    /// <summary>How often the held trial's heartbeat is written (and the parent process checked).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>A running trial whose heartbeat is older than this is re-queued: its worker is taken for dead.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long to sleep when there is nothing to claim but other workers are busy.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Stop after this many trials (jobs) in this run (null: no limit), as AutoML's SetMaxModelToExplore.</summary>
    public int? MaxTrials { get; init; }
    /// <summary>Start no trial after this much time in this run (the running one finishes), as AutoML's SetTrainingTimeInSeconds.</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Stops the worker as Ctrl+C would, e.g. when the process that started it has gone.</summary>
    public CancellationToken Abandon { get; init; }
}

/// <summary>What a worker did in one run.</summary>
public sealed record WorkerSummary(int Trials, int Failed, bool Interrupted, bool StudyFinished, TimeSpan Elapsed);
