namespace MLPipelines.Core.Imaging;

/// <summary>
/// How much of an image is ever decoded. A 469 KB PNG can claim 20,000 x 20,000 pixels (1.6 GB as RGBA): its header
/// is read first and more than <see cref="MaxPixels"/> is refused. Below that, no model needs more than about a
/// megapixel, so a larger image is decoded at a reduced size (<see cref="DecodePixels"/>): JPEG and WebP by the codec
/// itself, PNG and BMP row by row into a box-filtered reduction, so memory stays near the reduced size whatever the
/// image's.
/// </summary>
public sealed record ImageLimits
{
    public const long DefaultMaxPixels = 40_000_000;
    public const long DefaultDecodePixels = 1 << 20;
    public const long DefaultMaxFileBytes = 256L * 1024 * 1024;

    /// <summary>The project's defaults: 40 MP refused, 1 MP decoded, 256 MB files.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Width x height, from the header, beyond which an image is refused (<see cref="ImageTooLargeException"/>).</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>Images of more pixels than this are decoded at a reduced size of at most about this many.</summary>
    public long DecodePixels { get; init; } = DefaultDecodePixels;

    /// <summary>Largest image file read from disk, in bytes.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    public void Validate()
    {
        if (MaxPixels < 1) throw new ArgumentException($"the pixel limit must be positive (got {MaxPixels})");
        if (DecodePixels < 64 * 64) throw new ArgumentException($"the decoding size must be at least {64 * 64} pixels (got {DecodePixels})");
        if (MaxFileBytes < 1) throw new ArgumentException($"the file size limit must be positive (got {MaxFileBytes})");
    }

    /// <summary>Throws <see cref="ImageTooLargeException"/> when <paramref name="width"/> x <paramref name="height"/> is over <see cref="MaxPixels"/>.</summary>
    public void Check(int width, int height, string name)
    {
        long pixels = (long)width * height;
        if (pixels > MaxPixels)
            throw new ImageTooLargeException(
                $"{name}: image too large: {width:N0}x{height:N0} pixels ({pixels / 1e6:0.#} MP; the limit is {MaxPixels:N0} pixels)",
                width, height, MaxPixels);
    }
}
