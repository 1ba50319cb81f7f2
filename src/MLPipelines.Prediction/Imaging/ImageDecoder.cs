using SkiaSharp;

namespace MLPipelines.Prediction.Imaging;

/// <summary>
/// Decodes image files (PNG, JPEG, GIF, BMP, WebP) with SkiaSharp. Transparent pixels are composited onto
/// white first: people's drawings are dark strokes on a transparent background, and turning them to
/// grayscale without compositing would make the background black and the strokes vanish.
/// </summary>
public static class ImageDecoder
{
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, string name = "image")
    {
        if (encoded.Length == 0) throw new InvalidImageException($"{name}: empty file");
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidImageException($"{name}: not an image (unknown or corrupt format)");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new InvalidImageException($"{name}: cannot decode ({result})");
        }
        return bitmap;
    }

    public static SKBitmap Decode(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException($"{path}: {e.Message}");
        }
        return Decode(bytes, path);
    }

    /// <summary>Luma (ITU-R 601) of the image composited onto white.</summary>
    public static GrayImage ToGray(SKBitmap rgba)
    {
        var gray = new GrayImage(rgba.Width, rgba.Height);
        ReadOnlySpan<byte> p = rgba.GetPixelSpan();
        bool rgbaOrder = rgba.ColorType == SKColorType.Rgba8888;
        for (int i = 0, o = 0; o < gray.Pixels.Length; i += 4, o++)
        {
            float r = rgbaOrder ? p[i] : p[i + 2], g = p[i + 1], b = rgbaOrder ? p[i + 2] : p[i], a = p[i + 3] / 255f;
            float luma = 0.299f * r + 0.587f * g + 0.114f * b;
            gray.Pixels[o] = a * luma + (1 - a) * 255f;
        }
        return gray;
    }

    public static GrayImage DecodeGray(ReadOnlySpan<byte> encoded, string name = "image")
    {
        using var bitmap = Decode(encoded, name);
        return ToGray(bitmap);
    }
}
