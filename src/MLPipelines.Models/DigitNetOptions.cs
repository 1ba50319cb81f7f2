namespace MLPipelines.Models;

/// <summary>
/// The shape of the assignment's digit network. The defaults are the assignment's; the sweep varies
/// <see cref="KernelSize"/> (4, 5) and <see cref="Dropout"/> (0.3 to 0.7).
/// </summary>
public sealed record DigitNetOptions
{
    public int InputSize { get; init; } = 28;
    public int KernelSize { get; init; } = 5;
    public double Dropout { get; init; } = 0.5;
    public int Conv1Channels { get; init; } = 10;
    public int Conv2Channels { get; init; } = 20;
    public int Hidden { get; init; } = 50;
    public int Classes { get; init; } = 10;

    /// <summary>Side of the feature map after conv1, pool, conv2, pool (pooling floors odd sizes, as PyTorch does).</summary>
    public int FeatureSide
    {
        get
        {
            int afterConv1 = InputSize - KernelSize + 1;
            int afterConv2 = afterConv1 / 2 - KernelSize + 1;
            return afterConv2 / 2;
        }
    }

    /// <summary>Inputs of fc1: conv2's channels times the last feature map's area (320 at kernel 4 and 5).</summary>
    public int FlattenSize => Conv2Channels * FeatureSide * FeatureSide;

    public void Validate()
    {
        if (KernelSize < 1)
            throw new ArgumentException($"kernel size {KernelSize} must be at least 1");
        if (FeatureSide < 1)
            throw new ArgumentException($"kernel size {KernelSize} is too large for {InputSize}x{InputSize} inputs");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"dropout {Dropout} must be in [0, 1)");
        if (Conv1Channels < 1 || Conv2Channels < 1 || Hidden < 1 || Classes < 2)
            throw new ArgumentException("channel, hidden and class counts must be positive (at least 2 classes)");
    }
}
