namespace MLPipelines.Prediction.Imaging;

/// <summary>A grayscale image as floats, row-major, 0 = black and 255 = white.</summary>
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

    public static GrayImage FromBytes(int width, int height, ReadOnlySpan<byte> bytes)
    {
        var image = new GrayImage(width, height);
        for (int i = 0; i < bytes.Length; i++) image.Pixels[i] = bytes[i];
        return image;
    }
}
