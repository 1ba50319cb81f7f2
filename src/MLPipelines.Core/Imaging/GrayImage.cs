namespace MLPipelines.Core.Imaging;

/// <summary>A grayscale image as floats, row-major, indexed [x, y]: photos (0 = black, 255 = white), digits, filters, filtered images.</summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, float[]? pixels = null)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"image size {width}x{height} is empty");
        Width = width;
        Height = height;
        Pixels = pixels ?? new float[width * height];
        if (Pixels.Length != width * height) throw new ArgumentException("pixel count does not match the size");
    }

    public int Width { get; }
    public int Height { get; }
    public float[] Pixels { get; }

    public float this[int x, int y]
    {
        get => Pixels[y * Width + x];
        set => Pixels[y * Width + x] = value;
    }

    /// <summary>Rounded to bytes (0..255), e.g. for an MNIST-style 28x28 input.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Pixels.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(Pixels[i]), 0, 255);
        return bytes;
    }

    /// <summary>A matrix [rows, cols] as an image (a filter's weights).</summary>
    public static GrayImage FromMatrix(float[,] m)
    {
        int h = m.GetLength(0), w = m.GetLength(1);
        var image = new GrayImage(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) image[x, y] = m[y, x];
        return image;
    }

    /// <summary>The smallest and largest pixel values.</summary>
    public (float Min, float Max) Range()
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float p in Pixels)
        {
            if (p < min) min = p;
            if (p > max) max = p;
        }
        return (min, max);
    }

    public static GrayImage FromBytes(int width, int height, ReadOnlySpan<byte> bytes)
    {
        var image = new GrayImage(width, height);
        for (int i = 0; i < bytes.Length; i++) image.Pixels[i] = bytes[i];
        return image;
    }
}
