namespace MLPipelines.Training;

/// <summary>A training run about to start (or resume) at <see cref="StartEpoch"/>/<see cref="StartBatch"/>.</summary>
public sealed record TrainingPlan(int Epochs, int BatchesPerEpoch, int StartEpoch, int StartBatch, int Threads);

/// <summary>One optimizer step done.</summary>
public readonly record struct BatchReport(int Epoch, int Batch, int BatchesPerEpoch, double Loss, double LearningRate, long ExamplesSeen);

/// <summary>Hears what a training run does: the progress display, logs and tests listen here.</summary>
public interface ITrainingObserver
{
    void OnStart(TrainingPlan plan) { }
    void OnBatch(BatchReport report) { }
    void OnEpochEnd(TestPoint test) { }
    void OnCheckpoint(string path) { }
}
