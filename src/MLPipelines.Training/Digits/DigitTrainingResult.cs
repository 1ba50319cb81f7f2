using MLPipelines.Training.Evaluation;

namespace MLPipelines.Training.Digits;

/// <summary>
/// What a digit training run made: the test evaluation, the saved model's own accuracy through ML.NET, where the model
/// and the run are, the time it took; or, when stopped, the checkpoint it can resume from.
/// </summary>
public sealed record DigitTrainingResult
{
    public required string RunFolder { get; init; }
    /// <summary>False when cancelled: then only <see cref="Checkpoint"/> and the curves are there.</summary>
    public required bool Completed { get; init; }
    public required CheckpointState State { get; init; }
    public string? Checkpoint { get; init; }
    public EvaluationResult? Evaluation { get; init; }
    /// <summary>Accuracy of the saved ML.NET pipeline (image transforms + ONNX) on the same test images.</summary>
    public double? MlNetAccuracy { get; init; }
    public string? ModelPath { get; init; }
    public int Threads { get; init; }
    /// <summary>The network summary (layers, output shapes, parameters).</summary>
    public required string Summary { get; init; }
    public IReadOnlyList<double> EpochSeconds => State.History.Test.Where(t => t.Epoch > 0).Select(t => t.EpochSeconds).ToList();
}
