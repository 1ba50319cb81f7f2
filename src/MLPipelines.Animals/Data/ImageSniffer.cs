using MLPipelines.Prediction.Imaging;
using SkiaSharp;

namespace MLPipelines.Animals.Data;

/// <summary>What a file in a class folder turned out to be.</summary>
public readonly record struct SniffResult(bool IsPhoto, int Width, int Height, string? Reason);

/// <summary>
/// Tells photos from the rest by their first bytes (never by extension) and reads their size from the header.
/// Photos are JPEG, PNG, BMP and WebP; GIF is skipped as a graphic, not a photo (hymenoptera's
/// <c>imageNotFound.gif</c> is a placeholder picture in the original archive).
/// </summary>
public static class ImageSniffer
{
    public static SniffResult Sniff(string path)
    {
        string? format;
        int n;
        try
        {
            format = ImageSignature.Read(path, out n);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SniffResult(false, 0, 0, $"unreadable ({e.Message})");
        }
        if (format is null) return new SniffResult(false, 0, 0, n == 0 ? "empty file" : "not an image");
        if (format == "gif") return new SniffResult(false, 0, 0, "GIF graphic, not a photo");
        using var codec = SKCodec.Create(path);
        if (codec is null) return new SniffResult(false, 0, 0, $"unreadable {format.ToUpperInvariant()}");
        var info = codec.Info;
        if (info.Width < 1 || info.Height < 1) return new SniffResult(false, 0, 0, "image has no pixels");
        return new SniffResult(true, info.Width, info.Height, null);
    }
}
