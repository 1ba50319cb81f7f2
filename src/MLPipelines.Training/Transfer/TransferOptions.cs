using System.Text.Json.Serialization;

namespace MLPipelines.Training.Transfer;

/// <summary>Which of the digit network's own layers train along with the new output layer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FineTuneLayers>))]
public enum FineTuneLayers
{
    /// <summary>The assignment's: every digit weight frozen, only the new last layer learns.</summary>
    None,
    /// <summary>The hidden layer (fc1) learns too; the convolutions stay frozen.</summary>
    Fc1,
    /// <summary>Every layer learns, starting from the digit weights.</summary>
    All,
}

/// <summary>How a transfer-learning run trains: the trainer's options, the layers that learn, augmentation.</summary>
public sealed record TransferOptions
{
    /// <summary>
    /// The assignment's optimizer (SGD, learning rate 0.01, momentum 0.5) with its Greek batch size of 5, and
    /// a batch loss kept for every batch (an epoch of 27 letters is 6 batches).
    /// </summary>
    public static readonly TrainingOptions DefaultTraining = Recipes.Assignment with { Epochs = 100, BatchSize = 5, LogInterval = 1 };

    public TrainingOptions Training { get; init; } = DefaultTraining;
    public FineTuneLayers FineTune { get; init; } = FineTuneLayers.None;
    /// <summary>Random variants of each training image added to the set (0 = the images alone).</summary>
    public int AugmentCopies { get; init; }

    /// <summary>Parameter-name prefixes that train besides the new output layer.</summary>
    public IReadOnlyList<string> TrainablePrefixes => FineTune switch
    {
        FineTuneLayers.Fc1 => ["fc1."],
        FineTuneLayers.All => ["conv1.", "conv2.", "fc1."],
        _ => [],
    };

    public void Validate()
    {
        Training.Validate();
        if (AugmentCopies is < 0 or > 1000) throw new ArgumentException($"augmented copies must be in [0, 1000] (got {AugmentCopies})");
    }
}
