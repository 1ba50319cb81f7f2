using SkiaSharp;

namespace MLPipelines.Serving.Api;

/// <summary>
/// Reads an image's format and size from its header without decoding its pixels, so that what is not an
/// image, or would decode into more pixels than allowed (a tiny PNG can claim 50,000 x 50,000), is refused
/// before any memory is spent on it.
/// </summary>
public static class ImageProbe
{
    public sealed record ImageHeader(string Format, int Width, int Height)
    {
        public long Pixels => (long)Width * Height;
    }

    /// <summary>The header, or null when the bytes are not an image format the decoder knows.</summary>
    public static ImageHeader? Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return null;
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0) return null;
        return new ImageHeader(codec.EncodedFormat.ToString().ToLowerInvariant(), codec.Info.Width, codec.Info.Height);
    }
}
