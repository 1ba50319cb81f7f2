using MLPipelines.Models;

namespace MLPipelines.Training;

/// <summary>
/// Where a training run stands: the next batch to run (<see cref="Epoch"/> is 1-based, <see cref="NextBatch"/>
/// 0-based), counters, the curves so far, and the options that define the run.
/// </summary>
public sealed record CheckpointState
{
    public required DigitNetOptions Model { get; init; }
    public required TrainingOptions Training { get; init; }
    public int Epoch { get; init; } = 1;
    public int NextBatch { get; init; }
    public long ExamplesSeen { get; init; }
    public long Step { get; init; }
    public double TrainSeconds { get; init; }
    public TrainingHistory History { get; init; } = new();
    /// <summary>Stopped before the last epoch because <see cref="TrainingOptions.StopAtAccuracy"/> was reached.</summary>
    public bool StoppedEarly { get; init; }

    public bool Finished => StoppedEarly || Epoch > Training.Epochs;
}
