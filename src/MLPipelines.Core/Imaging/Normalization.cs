namespace MLPipelines.Core.Imaging;

/// <summary>Pixel normalization: (value / 255 - Mean) / Std. MNIST's values are the assignment's (0.1307, 0.3081).</summary>
public sealed record Normalization(float Mean, float Std)
{
    public static readonly Normalization Mnist = new(0.1307f, 0.3081f);
}
