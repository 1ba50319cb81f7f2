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
        Span<byte> head = stackalloc byte[16];
        int n;
        try
        {
            using var f = File.OpenRead(path);
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SniffResult(false, 0, 0, $"unreadable ({e.Message})");
        }
        string? format = Format(head[..n]);
        if (format is null) return new SniffResult(false, 0, 0, n == 0 ? "empty file" : "not an image");
        if (format == "gif") return new SniffResult(false, 0, 0, "GIF graphic, not a photo");
        using var codec = SKCodec.Create(path);
        if (codec is null) return new SniffResult(false, 0, 0, $"unreadable {format.ToUpperInvariant()}");
        var info = codec.Info;
        if (info.Width < 1 || info.Height < 1) return new SniffResult(false, 0, 0, "image has no pixels");
        return new SniffResult(true, info.Width, info.Height, null);
    }

    /// <summary>The image format its signature says, or null.</summary>
    public static string? Format(ReadOnlySpan<byte> h)
    {
        if (h.Length >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return "jpeg";
        if (h.Length >= 8 && h[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "png";
        if (h.Length >= 6 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8') return "gif";
        if (h.Length >= 12 && h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F' && h[8] == 'W' && h[9] == 'E' && h[10] == 'B' && h[11] == 'P') return "webp";
        if (h.Length >= 14 && h[0] == 'B' && h[1] == 'M') return "bmp";
        return null;
    }
}
