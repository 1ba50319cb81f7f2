using SkiaSharp;

namespace MLPipelines.Core.Imaging;

/// <summary>
/// An image's format and size, read from its header without decoding its pixels, so that what is not an image, or
/// would decode into more pixels than allowed, is refused before any memory is spent on it.
/// </summary>
public sealed record ImageHeader(string Format, int Width, int Height)
{
    public long Pixels => (long)Width * Height;

    /// <summary>The header, or null when the bytes are not an image format the decoder knows.</summary>
    public static ImageHeader? Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return null;
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        return From(codec);
    }

    /// <summary>The header of a file (only its first bytes are read), or null when it is not an image.</summary>
    public static ImageHeader? Read(string path)
    {
        using var codec = SKCodec.Create(path);
        return From(codec);
    }

    private static ImageHeader? From(SKCodec? codec) =>
        codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0 ? null
            : new ImageHeader(codec.EncodedFormat.ToString().ToLowerInvariant(), codec.Info.Width, codec.Info.Height);
}
