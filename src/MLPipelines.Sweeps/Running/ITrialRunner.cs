using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Running;

/// <summary>A trial to train: the trial as claimed, the study's settings, and the checkpoint to resume from (null: start fresh).</summary>
public sealed record TrialSettings(Trial Trial, StudyConfig Study, byte[]? Checkpoint);

/// <summary>Where a runner reports each finished epoch; false means the trial is no longer this worker's, so stop.</summary>
public interface ITrialReporter
{
    bool ReportEpoch(EpochRecord record, byte[]? checkpoint, ResourceUse use);
}

/// <summary>
/// Trains one trial, as ML.NET AutoML's <c>ITrialRunner</c>. Reports after epoch 0 (the accuracy before training)
/// and after each epoch, with a checkpoint that a later run (another worker, a promotion, a restart after kill -9)
/// resumes from exactly.
/// </summary>
public interface ITrialRunner : IDisposable
{
    /// <summary>
    /// Trains up to <c>Trial.TargetEpochs</c>. Returns true when it got there; false when cancelled or when the
    /// reporter said stop (the epochs reported so far are kept).
    /// </summary>
    bool Run(TrialSettings settings, ITrialReporter reporter, CancellationToken cancel);
}
