namespace MLPipelines.Core.Imaging;

/// <summary>What a file turned out to be: an image's format and size, or why it is not one the project reads.</summary>
public sealed record ImageFileInfo(string? Format, int Width, int Height, string? Problem)
{
    public bool IsImage => Problem is null;
}

/// <summary>
/// The one check of a file before it is decoded: its first bytes name the format (never its extension), its header
/// gives the size, and <see cref="ImageLimits"/> says whether that size is allowed. Nothing is decoded.
/// </summary>
public static class ImageFiles
{
    /// <summary>
    /// The file's format and size, or the problem (empty, not an image, unreadable image, too large). A file that cannot be
    /// read at all throws (IOException, UnauthorizedAccessException): whether that stops the caller is its choice.
    /// </summary>
    public static ImageFileInfo Inspect(string path, ImageLimits? limits = null)
    {
        string? format = ImageSignature.Read(path, out int bytesRead);
        if (bytesRead == 0) return new ImageFileInfo(null, 0, 0, "empty file");
        if (format is null) return new ImageFileInfo(null, 0, 0, "not an image (PNG, JPEG, GIF, BMP or WebP)");
        var header = ImageHeader.Read(path);
        if (header is null) return new ImageFileInfo(format, 0, 0, $"unreadable {format.ToUpperInvariant()}");
        limits ??= ImageLimits.Default;
        return header.Pixels > limits.MaxPixels
            ? new ImageFileInfo(format, header.Width, header.Height, $"too large: {header.Width:N0}x{header.Height:N0} pixels (the limit is {limits.MaxPixels:N0})")
            : new ImageFileInfo(format, header.Width, header.Height, null);
    }
}
