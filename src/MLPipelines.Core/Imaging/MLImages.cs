using Microsoft.ML.Data;
using SkiaSharp;

namespace MLPipelines.Core.Imaging;

/// <summary>Images as the BGRA <see cref="MLImage"/>s ML.NET's image transforms take: what every model of the project is given.</summary>
public static class MLImages
{
    /// <summary>A grayscale image, each pixel rounded to a byte, as gray BGRA.</summary>
    public static MLImage From(GrayImage gray)
    {
        var bgra = new byte[gray.Width * gray.Height * 4];
        var bytes = gray.ToBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            bgra[4 * i] = bgra[4 * i + 1] = bgra[4 * i + 2] = bytes[i];
            bgra[4 * i + 3] = 255;
        }
        return MLImage.CreateFromPixels(gray.Width, gray.Height, MLPixelFormat.Bgra32, bgra);
    }

    /// <summary>A decoded photo (unpremultiplied RGBA, as <see cref="ImageDecoder"/> gives it) composited onto white.</summary>
    public static MLImage From(SKBitmap rgba) =>
        MLImage.CreateFromPixels(rgba.Width, rgba.Height, MLPixelFormat.Bgra32, ImageDecoder.ToOpaqueBgra(rgba));
}
