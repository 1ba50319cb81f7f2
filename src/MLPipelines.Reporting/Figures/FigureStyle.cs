using MLPipelines.Data.IO;
using OxyPlot;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace MLPipelines.Reporting.Figures;

/// <summary>The look every figure shares (font, sizes, colours) and the PNG writers, all through <see cref="AtomicFile"/>.</summary>
public static class FigureStyle
{
    /// <summary>Installed with fonts-dejavu-core (<c>.ci/run</c>); fontconfig falls back to another font when it is missing.</summary>
    public const string FontFamily = "DejaVu Sans";
    public const float TitleSize = 20;
    public const float CaptionSize = 15;

    public static readonly SKColor Ink = new(0x20, 0x20, 0x20);
    public static readonly SKColor Miss = new(0xC6, 0x28, 0x28);
    public static readonly SKColor Hit = new(0x1B, 0x6E, 0x20);

    private static readonly Lazy<SKTypeface> Regular = new(() => SKTypeface.FromFamilyName(FontFamily) ?? SKTypeface.Default);
    private static readonly Lazy<SKTypeface> Bold = new(() =>
        SKTypeface.FromFamilyName(FontFamily, SKFontStyle.Bold) ?? SKTypeface.Default);

    public static SKPaint TextPaint(float size, SKColor color, bool bold = false) => new()
    {
        Typeface = bold ? Bold.Value : Regular.Value,
        TextSize = size,
        Color = color,
        IsAntialias = true,
    };

    /// <summary>A plot with the project's font and sizes on a white background.</summary>
    public static PlotModel NewPlot(string title) => new()
    {
        Title = title,
        DefaultFont = FontFamily,
        DefaultFontSize = 14,
        TitleFontSize = TitleSize,
        TitleFontWeight = FontWeights.Bold,
        Background = OxyColors.White,
        PlotAreaBorderColor = OxyColor.FromRgb(0x80, 0x80, 0x80),
    };

    public static void SavePlot(PlotModel model, string path, int width, int height) =>
        AtomicFile.Write(path, s => new PngExporter { Width = width, Height = height }.Export(model, s));

    /// <summary>A plot drawn into a bitmap, to be placed in a grid of panels.</summary>
    public static SKBitmap RenderPlot(PlotModel model, int width, int height)
    {
        using var png = new MemoryStream();
        new PngExporter { Width = width, Height = height }.Export(model, png);
        png.Position = 0;
        return SKBitmap.Decode(png) ?? throw new InvalidOperationException("OxyPlot produced an unreadable PNG");
    }

    public static void SavePng(SKBitmap bitmap, string path)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, s => data.SaveTo(s));
    }

    /// <summary>Draws <paramref name="text"/> centred on <paramref name="centerX"/> with its baseline at <paramref name="baseline"/>.</summary>
    public static void DrawCentered(SKCanvas canvas, string text, float centerX, float baseline, SKPaint paint)
    {
        float width = paint.MeasureText(text);
        canvas.DrawText(text, centerX - width / 2, baseline, paint);
    }
}
