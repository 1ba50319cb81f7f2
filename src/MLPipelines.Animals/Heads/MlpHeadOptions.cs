using System.Text.Json.Serialization;
using Microsoft.ML;
using MLPipelines.Animals.Features;

namespace MLPipelines.Animals.Heads;

/// <summary>
/// Options of <see cref="MlpHeadTrainer"/>: the assignment's head (Dense <see cref="Hidden"/>, ReLU, dropout, Dense N)
/// and how it is trained (Adam on cross-entropy), the columns it reads, and what it reports while training.
/// </summary>
public sealed record MlpHeadOptions
{
    /// <summary>A float vector column (the backbone's features).</summary>
    public string FeatureColumnName { get; init; } = BackbonePipeline.FeaturesColumn;
    /// <summary>A key-typed label column (<c>MapValueToKey</c>); its key values become the class names.</summary>
    public string LabelColumnName { get; init; } = "Label";
    public int Hidden { get; init; } = 256;
    public double Dropout { get; init; } = 0.5;
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    public int Seed { get; init; } = 1;
    /// <summary>libtorch threads; 0 = one per core. The head's matrices are small: one thread beats several.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Scored after some epochs (loss and accuracy in the progress lines); same columns as the training data.</summary>
    [JsonIgnore] public IDataView? ValidationSet { get; init; }
    /// <summary>A line every few epochs: training loss, and validation loss and accuracy.</summary>
    [JsonIgnore] public IProgress<string>? Progress { get; init; }
    [JsonIgnore] public CancellationToken Cancellation { get; init; }

    public void Validate()
    {
        if (Hidden < 1) throw new ArgumentException($"hidden units must be >= 1 (got {Hidden})");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"dropout must be in [0, 1) (got {Dropout})");
        if (Epochs < 1) throw new ArgumentException($"epochs must be >= 1 (got {Epochs})");
        if (BatchSize < 1) throw new ArgumentException($"batch size must be >= 1 (got {BatchSize})");
        if (LearningRate <= 0) throw new ArgumentException($"learning rate must be > 0 (got {LearningRate})");
        if (WeightDecay < 0) throw new ArgumentException($"weight decay must be >= 0 (got {WeightDecay})");
    }
}
