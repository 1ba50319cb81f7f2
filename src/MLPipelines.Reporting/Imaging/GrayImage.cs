namespace MLPipelines.Reporting.Imaging;

/// <summary>A single-channel image of floats, row-major: digits, filters, filtered images.</summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, float[] pixels)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"image size must be positive (got {width}x{height})");
        if (pixels.Length != width * height)
            throw new ArgumentException($"{pixels.Length} pixels do not make a {width}x{height} image");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public float[] Pixels { get; }

    public float this[int row, int col] => Pixels[row * Width + col];

    /// <summary>An 8-bit image (0..255) as floats of the same values.</summary>
    public static GrayImage FromBytes(ReadOnlySpan<byte> bytes, int width, int height)
    {
        var pixels = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) pixels[i] = bytes[i];
        return new GrayImage(width, height, pixels);
    }

    /// <summary>A matrix [rows, cols] as an image (a filter's weights).</summary>
    public static GrayImage FromMatrix(float[,] m)
    {
        int h = m.GetLength(0), w = m.GetLength(1);
        var pixels = new float[h * w];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) pixels[r * w + c] = m[r, c];
        return new GrayImage(w, h, pixels);
    }

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
}
