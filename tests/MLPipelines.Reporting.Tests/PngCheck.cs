using SkiaSharp;

namespace MLPipelines.Reporting.Tests;

/// <summary>What a figure test asserts about a PNG: it is there, decodes, has the expected size and is not blank.</summary>
public static class PngCheck
{
    /// <summary>Standard deviation of the luminance (0..255): 0 for a blank image; a figure with text and pictures has tens.</summary>
    public static double LuminanceSpread(SKBitmap bitmap)
    {
        double sum = 0, sumSquares = 0;
        long n = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                double l = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += l;
                sumSquares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean));
    }

    /// <summary>Fraction of pixels that are not (near) white: how much of the figure is drawn.</summary>
    public static double InkFraction(SKBitmap bitmap)
    {
        long ink = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 240 || c.Green < 240 || c.Blue < 240) ink++;
            }
        return (double)ink / (bitmap.Width * bitmap.Height);
    }

    public static SKBitmap AssertFigure(string path, int width, int height, double minInk = 0.02)
    {
        Assert.IsTrue(File.Exists(path), $"{path} was not made");
        var bitmap = SKBitmap.Decode(path);
        Assert.IsNotNull(bitmap, $"{path} is not a readable PNG");
        Assert.AreEqual(width, bitmap.Width, $"{Path.GetFileName(path)} width");
        Assert.AreEqual(height, bitmap.Height, $"{Path.GetFileName(path)} height");
        double spread = LuminanceSpread(bitmap);
        Assert.IsGreaterThan(20.0, spread, $"{Path.GetFileName(path)} looks blank (luminance spread {spread:F1})");
        double ink = InkFraction(bitmap);
        Assert.IsGreaterThan(minInk, ink, $"{Path.GetFileName(path)} has almost nothing drawn ({ink:P1} of pixels)");
        return bitmap;
    }
}
