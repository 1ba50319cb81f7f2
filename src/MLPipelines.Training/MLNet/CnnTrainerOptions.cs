using Microsoft.ML;
using MLPipelines.Models;
using MLPipelines.Core.Models;

namespace MLPipelines.Training.MLNet;

/// <summary>Options of <see cref="CnnTrainer"/>, the ML.NET estimator that trains a <see cref="DigitNet"/> with TorchSharp.</summary>
public sealed class CnnTrainerOptions
{
    /// <summary>A key-typed label column (<c>MapValueToKey</c>); its key values become the class names.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>A float vector of H*W grayscale pixels, 0..255, bright ink on dark (ExtractPixels of a grayscale image).</summary>
    public string FeatureColumnName { get; set; } = ModelSchema.Pixels;

    /// <summary>The network's shape; the class count comes from the label column.</summary>
    public DigitNetOptions Network { get; set; } = new();

    public TrainingOptions Training { get; set; } = Recipes.Assignment;

    /// <summary>Scored before training and after each epoch (the test curve); same columns as the training data.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>Start from these weights instead of fresh ones (more epochs, or transfer learning). Not disposed by the trainer.</summary>
    public DigitNet? InitialNetwork { get; set; }

    /// <summary>
    /// Give <see cref="InitialNetwork"/> a fresh last layer even when it already has one output per class (transfer
    /// learning onto a 10-class set); without it, a network of the right class count keeps its last layer.
    /// </summary>
    public bool NewOutputLayer { get; set; }

    /// <summary>Where epoch checkpoints (and the one Ctrl+C leaves) go; none when null.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>A checkpoint to resume from (written by a run with the same options).</summary>
    public string? ResumeFrom { get; set; }

    public ITrainingObserver? Observer { get; set; }

    /// <summary>Cancelling stops training after the current batch, saves a checkpoint and makes Fit throw <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; set; }
}
