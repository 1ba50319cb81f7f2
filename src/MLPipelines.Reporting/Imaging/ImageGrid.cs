using MLPipelines.Core.Imaging;
using MLPipelines.Reporting.Figures;
using SkiaSharp;

namespace MLPipelines.Reporting.Imaging;

/// <summary>How an image's values map to grey: a fixed range (0..255 for digits) or the image's own min..max.</summary>
public readonly record struct GrayScale(float Min, float Max)
{
    public static readonly GrayScale Bytes = new(0, 255);

    /// <summary>The image's own range, as matplotlib's imshow does by default.</summary>
    public static GrayScale Of(GrayImage image)
    {
        var (min, max) = image.Range();
        return new GrayScale(min, max);
    }
}

/// <summary>
/// One picture of a grid with its caption; <see cref="Marked"/> draws it in red with a red frame (a miss).
/// <see cref="Inset"/>, when given, is drawn small in the bottom-right corner (e.g. the 28x28 input a photo became).
/// </summary>
public sealed record GridCell(GrayImage Image, string Caption, bool Marked = false, GrayScale? Scale = null, GrayImage? Inset = null);

/// <summary>
/// Small images in a grid with a caption above each and a title above all, drawn with SkiaSharp and scaled
/// up without smoothing so that pixels stay visible. Light values are white, as matplotlib's "gray" map shows.
/// </summary>
public sealed class ImageGrid
{
    public const int Padding = 12;
    public const int CaptionHeight = 24;
    public const int TitleHeight = 44;

    public required string Title { get; init; }
    public int Columns { get; init; } = 3;
    /// <summary>The side of each image in the figure, in pixels.</summary>
    public int CellSize { get; init; } = 140;
    /// <summary>An optional line under the grid (a score, a note).</summary>
    public string? Footer { get; init; }

    public int CellWidth => CellSize + 2 * Padding;
    public int CellHeight => CaptionHeight + CellSize + Padding;

    public (int Width, int Height) SizeFor(int count)
    {
        int rows = (count + Columns - 1) / Columns;
        // Wide enough for the title and footer too: a 3-column grid of digits is narrower than its title.
        using var title = FigureStyle.TextPaint(FigureStyle.TitleSize, FigureStyle.Ink, bold: true);
        using var footer = FigureStyle.TextPaint(FigureStyle.CaptionSize + 1, FigureStyle.Ink, bold: true);
        float text = Math.Max(title.MeasureText(Title), Footer is null ? 0 : footer.MeasureText(Footer));
        int width = Math.Max(Columns * CellWidth, (int)MathF.Ceiling(text) + 4 * Padding);
        return (width, TitleHeight + rows * CellHeight + (Footer is null ? 0 : CaptionHeight + Padding) + Padding);
    }

    public SKBitmap Render(IReadOnlyList<GridCell> cells)
    {
        if (cells.Count == 0) throw new ArgumentException("an image grid needs at least one image");
        var (width, height) = SizeFor(cells.Count);
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var title = FigureStyle.TextPaint(FigureStyle.TitleSize, FigureStyle.Ink, bold: true);
        FigureStyle.DrawCentered(canvas, Title, width / 2f, TitleHeight - 14, title);

        int gridLeft = (width - Columns * CellWidth) / 2;
        using var caption = FigureStyle.TextPaint(FigureStyle.CaptionSize, FigureStyle.Ink);
        using var missCaption = FigureStyle.TextPaint(FigureStyle.CaptionSize, FigureStyle.Miss, bold: true);
        using var frame = new SKPaint { Color = FigureStyle.Miss, Style = SKPaintStyle.Stroke, StrokeWidth = 4 };
        using var insetFrame = new SKPaint { Color = new SKColor(0x90, 0xA4, 0xAE), Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f };
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            float left = gridLeft + (i % Columns) * CellWidth + Padding;
            float top = TitleHeight + (i / Columns) * CellHeight;
            FigureStyle.DrawCentered(canvas, cell.Caption, left + CellSize / 2f, top + CaptionHeight - 7, cell.Marked ? missCaption : caption);
            var target = SKRect.Create(left, top + CaptionHeight, CellSize, CellSize);
            using (var image = ToBitmap(cell.Image, cell.Scale ?? GrayScale.Bytes))
                DrawPixels(canvas, image, Fit(target, cell.Image.Width, cell.Image.Height));
            if (cell.Inset is { } inset)
            {
                float side = CellSize * 0.4f;
                var box = SKRect.Create(target.Right - side, target.Bottom - side, side, side);
                using (var small = ToBitmap(inset, GrayScale.Bytes))
                    DrawPixels(canvas, small, box);
                canvas.DrawRect(box, insetFrame);
            }
            if (cell.Marked) canvas.DrawRect(Inflate(target, 2), frame);
        }
        if (Footer is not null)
        {
            using var footer = FigureStyle.TextPaint(FigureStyle.CaptionSize + 1, FigureStyle.Ink, bold: true);
            FigureStyle.DrawCentered(canvas, Footer, width / 2f, height - Padding - 6, footer);
        }
        return bitmap;
    }

    public void Save(string path, IReadOnlyList<GridCell> cells)
    {
        using var bitmap = Render(cells);
        FigureStyle.SavePng(bitmap, path);
    }

    /// <summary>The image as 8-bit grey, <paramref name="scale"/>'s Min black and Max white (a flat image is mid-grey).</summary>
    public static SKBitmap ToBitmap(GrayImage image, GrayScale scale)
    {
        var bitmap = new SKBitmap(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        var bytes = new byte[image.Width * image.Height];
        float span = scale.Max - scale.Min;
        for (int i = 0; i < bytes.Length; i++)
        {
            float v = span > 0 ? (image.Pixels[i] - scale.Min) / span : 0.5f;
            bytes[i] = (byte)Math.Clamp(MathF.Round(v * 255), 0, 255);
        }
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        return bitmap;
    }

    /// <summary>
    /// Enlarges without smoothing (nearest neighbour), so a 5x5 filter shows 25 squares; shrinks with
    /// smoothing, so that the thin strokes of a large photo do not fall between the sampled pixels.
    /// </summary>
    public static void DrawPixels(SKCanvas canvas, SKBitmap image, SKRect target)
    {
        bool shrinking = target.Width < image.Width || target.Height < image.Height;
        using var paint = new SKPaint { FilterQuality = shrinking ? SKFilterQuality.High : SKFilterQuality.None, IsAntialias = shrinking };
        canvas.DrawBitmap(image, target, paint);
    }

    /// <summary>The largest rectangle of the image's aspect ratio centred in <paramref name="box"/>.</summary>
    public static SKRect Fit(SKRect box, int width, int height)
    {
        float scale = Math.Min(box.Width / width, box.Height / height);
        float w = width * scale, h = height * scale;
        return SKRect.Create(box.MidX - w / 2, box.MidY - h / 2, w, h);
    }

    private static SKRect Inflate(SKRect r, float by) => new(r.Left - by, r.Top - by, r.Right + by, r.Bottom + by);
}
