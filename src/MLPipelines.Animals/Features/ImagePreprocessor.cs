using SkiaSharp;

namespace MLPipelines.Animals.Features;

/// <summary>
/// Turns an image file into the backbone's input exactly as the saved ML.NET pipeline does (LoadImages,
/// ResizeImages 224x224 isotropic crop at the centre, ExtractPixels planar RGB 0-255), so that features computed
/// here for training match the ones the saved model computes at prediction time: the same SkiaSharp decode,
/// the same destination rectangle and filter as ML.NET's MLImage resize, the same pixel order.
/// </summary>
public static class ImagePreprocessor
{
    public const int Size = ResNet18Files.ImageSize;
    public const int Length = 3 * Size * Size;

    /// <summary>Decodes and writes 3x224x224 floats into <paramref name="destination"/>; false when the file does not decode.</summary>
    public static bool TryLoad(string path, Span<float> destination)
    {
        using var decoded = SKBitmap.Decode(path);
        if (decoded is null || decoded.Width < 1 || decoded.Height < 1) return false;
        using var source = decoded.ColorType is SKColorType.Bgra8888 or SKColorType.Rgba8888 ? null : decoded.Copy(SKColorType.Bgra8888);
        var image = source ?? decoded;
        if (image is null) return false;
        if (image.Width == Size && image.Height == Size)
        {
            WritePlanes(image, destination);
            return true;
        }
        using var resized = ResizeWithCentreCrop(image, Size, Size);
        WritePlanes(resized, destination);
        return true;
    }

    /// <summary>ML.NET's isotropic crop resize (MLImage.ResizeWithCrop, anchor centre).</summary>
    public static SKBitmap ResizeWithCentreCrop(SKBitmap image, int width, int height)
    {
        float widthAspect = (float)width / image.Width;
        float heightAspect = (float)height / image.Height;
        int destX = 0, destY = 0;
        float aspect;
        if (heightAspect < widthAspect)
        {
            aspect = widthAspect;
            destY = (int)((height - (image.Height * aspect)) / 2);
        }
        else
        {
            aspect = heightAspect;
            destX = (int)((width - (image.Width * aspect)) / 2);
        }
        int destWidth = (int)(image.Width * aspect);
        int destHeight = (int)(image.Height * aspect);
        var result = new SKBitmap(width, height, isOpaque: true);
        using var canvas = new SKCanvas(result);
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.High };
        canvas.DrawBitmap(image, new SKRect(0, 0, image.Width, image.Height), new SKRect(destX, destY, destX + destWidth, destY + destHeight), paint);
        return result;
    }

    /// <summary>Planar R, G, B as 0-255 floats (ExtractPixels' defaults).</summary>
    private static void WritePlanes(SKBitmap image, Span<float> destination)
    {
        var pixels = image.GetPixelSpan();
        int plane = image.Width * image.Height;
        bool bgra = image.ColorType == SKColorType.Bgra8888;
        int r = bgra ? 2 : 0, b = bgra ? 0 : 2;
        int stride = image.RowBytes;
        for (int y = 0, i = 0; y < image.Height; y++)
        {
            var row = pixels.Slice(y * stride, image.Width * 4);
            for (int x = 0; x < image.Width; x++, i++)
            {
                destination[i] = row[4 * x + r];
                destination[plane + i] = row[4 * x + 1];
                destination[2 * plane + i] = row[4 * x + b];
            }
        }
    }
}
