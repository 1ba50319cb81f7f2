using MLPipelines.Reporting.Figures;
using SkiaSharp;

namespace MLPipelines.Reporting.Imaging;

/// <summary>Figures of any size one above the other, centred, under a title and over a footer line.</summary>
public static class VerticalStack
{
    public const int TitleHeight = 48, FooterHeight = 40;

    public static (int Width, int Height) SizeFor(IReadOnlyList<SKBitmap> parts, string title, string? footer)
    {
        using var titlePaint = FigureStyle.TextPaint(FigureStyle.TitleSize + 2, FigureStyle.Ink, bold: true);
        int width = Math.Max(parts.Max(p => p.Width), (int)MathF.Ceiling(titlePaint.MeasureText(title)) + 48);
        return (width, TitleHeight + parts.Sum(p => p.Height) + (footer is null ? 0 : FooterHeight));
    }

    public static SKBitmap Compose(string title, IReadOnlyList<SKBitmap> parts, string? footer)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to stack");
        var (width, height) = SizeFor(parts, title, footer);
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var titlePaint = FigureStyle.TextPaint(FigureStyle.TitleSize + 2, FigureStyle.Ink, bold: true);
        FigureStyle.DrawCentered(canvas, title, width / 2f, TitleHeight - 14, titlePaint);
        float top = TitleHeight;
        foreach (var part in parts)
        {
            canvas.DrawBitmap(part, (width - part.Width) / 2f, top);
            top += part.Height;
        }
        if (footer is not null)
        {
            using var footerPaint = FigureStyle.TextPaint(FigureStyle.CaptionSize + 2, FigureStyle.Ink, bold: true);
            FigureStyle.DrawCentered(canvas, footer, width / 2f, height - 14, footerPaint);
        }
        return bitmap;
    }
}
