using MLPipelines.Data.IO;
using SkiaSharp;

namespace MLPipelines.Animals.Figures;

/// <summary>One photo of a grid with the text under it; a caption colour marks right (green) or wrong (red).</summary>
public sealed record PhotoCell(string Path, string Caption, string? SecondLine = null, SKColor? CaptionColor = null);

/// <summary>A grid of photo thumbnails with captions, as a PNG (the assignment's sample and prediction figures).</summary>
public static class PhotoGrid
{
    public static readonly SKColor Right = new(0x1B, 0x7F, 0x3B);
    public static readonly SKColor Wrong = new(0xC6, 0x28, 0x28);

    public static void Write(string path, IReadOnlyList<PhotoCell> cells, int columns, string? title = null, int thumb = 160)
    {
        if (cells.Count == 0) throw new ArgumentException("a photo grid needs at least one photo");
        columns = Math.Clamp(columns, 1, cells.Count);
        int rows = (cells.Count + columns - 1) / columns;
        const int pad = 8, captionHeight = 36;
        int titleHeight = title is null ? 0 : 34;
        int width = columns * (thumb + pad) + pad;
        int height = titleHeight + rows * (thumb + captionHeight + pad) + pad;

        using var bitmap = new SKBitmap(width, height, isOpaque: true);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var text = new SKPaint { Typeface = typeface, TextSize = 13, IsAntialias = true, Color = SKColors.Black };
        using var small = new SKPaint { Typeface = typeface, TextSize = 11, IsAntialias = true, Color = SKColors.DimGray };
        if (title is not null)
        {
            using var big = new SKPaint { Typeface = typeface, TextSize = 18, IsAntialias = true, Color = SKColors.Black, FakeBoldText = true };
            canvas.DrawText(Fit(title, big, width - 2 * pad), pad, 24, big);
        }
        using var image = new SKPaint { FilterQuality = SKFilterQuality.High };
        for (int i = 0; i < cells.Count; i++)
        {
            int x = pad + i % columns * (thumb + pad);
            int y = titleHeight + pad + i / columns * (thumb + captionHeight + pad);
            using (var photo = Thumbnail(cells[i].Path, thumb))
            {
                if (photo is not null) canvas.DrawBitmap(photo, new SKRect(x, y, x + thumb, y + thumb), image);
                else canvas.DrawRect(new SKRect(x, y, x + thumb, y + thumb), new SKPaint { Color = SKColors.LightGray });
            }
            text.Color = cells[i].CaptionColor ?? SKColors.Black;
            canvas.DrawText(Fit(cells[i].Caption, text, thumb), x, y + thumb + 15, text);
            if (cells[i].SecondLine is { } second) canvas.DrawText(Fit(second, small, thumb), x, y + thumb + 30, small);
        }
        using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, png.ToArray());
    }

    /// <summary>The photo cropped to a centred square of <paramref name="size"/> pixels, or null when it does not decode.</summary>
    private static SKBitmap? Thumbnail(string path, int size)
    {
        using var decoded = Features.ImagePreprocessor.TryDecode(path);
        if (decoded is null) return null;
        return Features.ImagePreprocessor.ResizeWithCentreCrop(decoded, size, size);
    }

    private static string Fit(string s, SKPaint paint, float width)
    {
        if (paint.MeasureText(s) <= width) return s;
        while (s.Length > 1 && paint.MeasureText(s + "…") > width) s = s[..^1];
        return s + "…";
    }
}
