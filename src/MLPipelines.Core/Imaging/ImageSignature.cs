namespace MLPipelines.Core.Imaging;

/// <summary>
/// The image format a file's first bytes announce (never its extension): the formats SkiaSharp decodes here.
/// Reading <see cref="Length"/> bytes is enough for every signature.
/// </summary>
public static class ImageSignature
{
    public const int Length = 16;

    /// <summary>"jpeg", "png", "gif", "webp" or "bmp", or null when the bytes start no known image format.</summary>
    public static string? Format(ReadOnlySpan<byte> h)
    {
        if (h.Length >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return "jpeg";
        if (h.Length >= 8 && h[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (h.Length >= 6 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8') return "gif";
        if (h.Length >= 12 && h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F' && h[8] == 'W' && h[9] == 'E' && h[10] == 'B' && h[11] == 'P') return "webp";
        if (h.Length >= 14 && h[0] == 'B' && h[1] == 'M') return "bmp";   // 14: a BMP's file header
        return null;
    }

    /// <summary>The format of the file's first bytes, or null; an empty file reads as zero bytes.</summary>
    public static string? Read(string path, out int bytesRead)
    {
        Span<byte> head = stackalloc byte[Length];
        using var f = File.OpenRead(path);
        bytesRead = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Format(head[..bytesRead]);
    }
}
