using SkiaSharp;

namespace MLPipelines.Serving.Tests.Support;

/// <summary>Images made in the test.</summary>
public static class Images
{
    public static byte[] BlankPng(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        bitmap.Erase(SKColors.White);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
