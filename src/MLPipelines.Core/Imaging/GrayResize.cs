using SkiaSharp;

namespace MLPipelines.Core.Imaging;

/// <summary>High-quality resampling of grayscale images through SkiaSharp (mipmapped, so large reductions are smooth).</summary>
public static class GrayResize
{
    public static GrayImage Resize(GrayImage image, int width, int height)
    {
        if (image.Width == width && image.Height == height) return image;
        using var source = ToBitmap(image);
        using var target = source.Resize(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), SKFilterQuality.High)
            ?? throw new InvalidOperationException($"cannot resize {image.Width}x{image.Height} to {width}x{height}");
        return FromBitmap(target);
    }

    public static SKBitmap ToBitmap(GrayImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var bytes = image.ToBytes();
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        return bitmap;
    }

    private static GrayImage FromBitmap(SKBitmap bitmap)
    {
        var bytes = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        var image = new GrayImage(bitmap.Width, bitmap.Height);
        for (int y = 0; y < bitmap.Height; y++)
        for (int x = 0; x < bitmap.Width; x++)
            image[x, y] = bytes[y * rowBytes + x];
        return image;
    }
}
