namespace MLPipelines.Animals.Heads;

/// <summary>The assignment's head (Dense 256, ReLU, dropout, Dense N) and how it is trained (Adam, cross-entropy).</summary>
public sealed record MlpHeadOptions
{
    public int Hidden { get; init; } = 256;
    public double Dropout { get; init; } = 0.5;
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    public int Seed { get; init; } = 1;
    /// <summary>libtorch threads; 0 = one per core. The head's matrices are small: one thread beats several.</summary>
    public int Threads { get; init; } = 1;

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
