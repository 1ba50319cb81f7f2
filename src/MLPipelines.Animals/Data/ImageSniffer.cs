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
    /// <summary>What the file is; a photo of more pixels than <paramref name="limits"/> allow is skipped, by its header alone.</summary>
    public static SniffResult Sniff(string path, ImageLimits? limits = null)
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
        if ((long)info.Width * info.Height > (limits ?? ImageLimits.Default).MaxPixels)
            return new SniffResult(false, info.Width, info.Height,
                $"too large: {info.Width:N0}x{info.Height:N0} pixels (the limit is {(limits ?? ImageLimits.Default).MaxPixels:N0})");
        return new SniffResult(true, info.Width, info.Height, null);
    }
}
