using System.Diagnostics;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Running;

/// <summary>What <see cref="StudyOptimizer.Optimize"/> works on, where, and for how long.</summary>
public sealed record StudyOptimizeOptions
{
    public required IStudyStorage Storage { get; init; }
    /// <summary>The study: created as given when the storage lacks it, else resumed (and checked to match).</summary>
    public required StudyConfig Study { get; init; }
    /// <summary>The study's folder: its report/ when finished, its workers/ logs.</summary>
    public required string Folder { get; init; }
    /// <summary>1: train in this process with <see cref="Runner"/>; more: start that many processes with <see cref="StartWorker"/>.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>libtorch threads of each worker (for the display; the runner or the worker process sets them).</summary>
    public int ThreadsPerWorker { get; init; } = 1;
    /// <summary>Start no trial after this long; the running ones finish.</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Run at most this many trials in this call (per worker); the study stays resumable.</summary>
    public int? MaxTrials { get; init; }
    /// <summary>A running trial without a heartbeat for this long is taken for a dead worker's and re-queued.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Makes the runner that trains this process's trials (disposed at the end).</summary>
    public Func<StudyConfig, ITrialRunner>? Runner { get; init; }
    /// <summary>
    /// Starts worker <c>i</c> (from 1) logging to the given path, e.g. with <see cref="WorkerProcess.Start"/>: a process that
    /// works on the same study and storage and stops when its standard input closes.
    /// </summary>
    public Func<int, string, Process>? StartWorker { get; init; }
    /// <summary>How often the storage is read to follow worker processes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
