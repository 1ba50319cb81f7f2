using MLPipelines.Core.Imaging;

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
        ImageFileInfo info;
        try
        {
            info = ImageFiles.Inspect(path, limits);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SniffResult(false, 0, 0, $"unreadable ({e.Message})");
        }
        if (info.Format == "gif") return new SniffResult(false, 0, 0, "GIF graphic, not a photo");
        return new SniffResult(info.IsImage, info.Width, info.Height, info.Problem);
    }
}
