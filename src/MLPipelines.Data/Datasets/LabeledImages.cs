namespace MLPipelines.Data.Datasets;

/// <summary>Grayscale images of one size with a class index each, as bytes (0 = black), row-major.</summary>
public sealed class LabeledImages
{
    public LabeledImages(byte[] pixels, byte[] labels, int height, int width, IReadOnlyList<string> classNames)
    {
        if (pixels.Length != labels.Length * height * width)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not make {labels.Length} images of {height}x{width}");
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Labels.Length;
    public int ImageSize => Height * Width;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>The first <paramref name="count"/> images (all when there are fewer).</summary>
    public LabeledImages Take(int count)
    {
        if (count >= Count) return this;
        return new LabeledImages(Pixels[..(count * ImageSize)], Labels[..count], Height, Width, ClassNames);
    }
}
