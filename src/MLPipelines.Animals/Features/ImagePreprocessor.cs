using MLPipelines.Core.Imaging;
using SkiaSharp;

namespace MLPipelines.Animals.Features;

/// <summary>
/// Turns an image file into the backbone's input exactly as the saved ML.NET pipeline does (LoadImages,
/// ResizeImages 224x224 isotropic crop at the centre, ExtractPixels planar RGB 0-255), so that features computed
/// here for training match the ones the saved model computes at prediction time: the same SkiaSharp decode,
/// the same destination rectangle and filter as ML.NET's MLImage resize, the same pixel order. Photos are decoded as
/// <see cref="Prediction.ImageClassifier"/> decodes them (within <see cref="ImageLimits"/>: a photo over a megapixel at
/// a reduced size; composited onto white), so training sees what the saved model will.
/// </summary>
public static class ImagePreprocessor
{
    public const int Size = ResNet18Files.ImageSize;
    public const int Length = 3 * Size * Size;

    /// <summary>
    /// Decodes and writes 3x224x224 floats into <paramref name="destination"/>; false when the file does not decode.
    /// A view other than <see cref="ImageView.Plain"/> mirrors and/or zooms in (training-time augmentation).
    /// </summary>
    public static bool TryLoad(string path, Span<float> destination, ImageView view = default, ImageLimits? limits = null)
    {
        if (view.Zoom <= 0) view = ImageView.Plain; // default(ImageView)
        bool mirror = view.Mirror;
        using var image = TryDecode(path, limits);
        if (image is null) return false;
        if (image.Width == Size && image.Height == Size && view.Zoom == 1)
        {
            WritePlanes(image, destination, mirror);
            return true;
        }
        using var resized = ResizeWithCentreCrop(image, Size, Size, view.Zoom);
        WritePlanes(resized, destination, mirror);
        return true;
    }

    /// <summary>The photo as ImageClassifier hands it to ML.NET: decoded within the limits, onto white, opaque BGRA; null when it does not decode.</summary>
    public static SKBitmap? TryDecode(string path, ImageLimits? limits = null)
    {
        SKBitmap decoded;
        try
        {
            decoded = ImageDecoder.Decode(path, limits);
        }
        catch (InvalidImageException)
        {
            return null;
        }
        using (decoded)
        {
            var bitmap = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Bgra8888, SKAlphaType.Opaque));
            var bgra = ImageDecoder.ToOpaqueBgra(decoded);
            nint pixels = bitmap.GetPixels();
            for (int y = 0; y < bitmap.Height; y++)
                System.Runtime.InteropServices.Marshal.Copy(bgra, y * bitmap.Width * 4, pixels + y * bitmap.RowBytes, bitmap.Width * 4);
            return bitmap;
        }
    }

    /// <summary>ML.NET's isotropic crop resize (MLImage.ResizeWithCrop, anchor centre); zoom &lt; 1 keeps that central part of it.</summary>
    public static SKBitmap ResizeWithCentreCrop(SKBitmap image, int width, int height, float zoom = 1)
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
        var dest = new SKRect(destX, destY, destX + destWidth, destY + destHeight);
        if (zoom != 1)
        {
            float cx = width / 2f, cy = height / 2f;
            dest = new SKRect(cx + (dest.Left - cx) / zoom, cy + (dest.Top - cy) / zoom, cx + (dest.Right - cx) / zoom, cy + (dest.Bottom - cy) / zoom);
        }
        var result = new SKBitmap(width, height, isOpaque: true);
        using var canvas = new SKCanvas(result);
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.High };
        canvas.DrawBitmap(image, new SKRect(0, 0, image.Width, image.Height), dest, paint);
        return result;
    }

    /// <summary>Planar R, G, B as 0-255 floats (ExtractPixels' defaults).</summary>
    private static void WritePlanes(SKBitmap image, Span<float> destination, bool mirror)
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
                int at = 4 * (mirror ? image.Width - 1 - x : x);
                destination[i] = row[at + r];
                destination[plane + i] = row[at + 1];
                destination[2 * plane + i] = row[at + b];
            }
        }
    }
}

/// <summary>How a photo is shown to the backbone: as the saved model does (plain), or mirrored and/or zoomed in.</summary>
public readonly record struct ImageView(bool Mirror, float Zoom = 1)
{
    public static ImageView Plain => new(false, 1);

    public bool IsPlain => !Mirror && Zoom == 1;

    /// <summary>Name of the view in the feature cache ("" for plain).</summary>
    public string CacheVariant => IsPlain ? "" : string.Join('-', new[] { Zoom != 1 ? FormattableString.Invariant($"zoom{Zoom:0.##}") : null, Mirror ? "mirror" : null }.Where(x => x is not null));
}
