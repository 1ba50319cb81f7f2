namespace MLPipelines.Training;

/// <summary>How a call to <see cref="DigitTrainer.Run"/> ended. Interrupted runs have a checkpoint to resume from.</summary>
public sealed record TrainingOutcome(bool Completed, CheckpointState State, string? LastCheckpoint);
