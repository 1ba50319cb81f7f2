using MLPipelines.Reporting.Figures;
using SkiaSharp;

namespace MLPipelines.Reporting.Imaging;

/// <summary>Pre-drawn panels (OxyPlot plots rendered to bitmaps) of one size in a grid under a title.</summary>
public static class PanelGrid
{
    public const int TitleHeight = 44;

    public static (int Width, int Height) SizeFor(int count, int columns, int panelWidth, int panelHeight) =>
        (columns * panelWidth, TitleHeight + (count + columns - 1) / columns * panelHeight);

    public static SKBitmap Compose(string title, IReadOnlyList<SKBitmap?> panels, int columns, int panelWidth, int panelHeight)
    {
        var (width, height) = SizeFor(panels.Count, columns, panelWidth, panelHeight);
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var paint = FigureStyle.TextPaint(FigureStyle.TitleSize, FigureStyle.Ink, bold: true);
        FigureStyle.DrawCentered(canvas, title, width / 2f, TitleHeight - 14, paint);
        for (int i = 0; i < panels.Count; i++)
        {
            if (panels[i] is not { } panel) continue;
            canvas.DrawBitmap(panel, SKRect.Create((i % columns) * panelWidth, TitleHeight + (i / columns) * panelHeight, panelWidth, panelHeight));
        }
        return bitmap;
    }
}
