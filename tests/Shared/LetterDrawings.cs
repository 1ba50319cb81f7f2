using SkiaSharp;

namespace MLPipelines.Tests.Support;

/// <summary>Synthetic letters drawn with SkiaSharp, encoded as PNG: the same shape at any size, colour and background.</summary>
public static class LetterDrawings
{
    /// <summary>An alpha-like stroke (a loop and a tail) on a <paramref name="size"/> square, letter spanning ~70% of it.</summary>
    public static byte[] Alpha(int size, SKColor ink, SKColor background, float strokeFraction = 0.04f) =>
        Draw(size, ink, background, strokeFraction, (path, s) =>
        {
            path.MoveTo(0.80f * s, 0.25f * s);
            path.CubicTo(0.60f * s, 0.80f * s, 0.15f * s, 0.85f * s, 0.15f * s, 0.50f * s);
            path.CubicTo(0.15f * s, 0.20f * s, 0.55f * s, 0.20f * s, 0.85f * s, 0.78f * s);
        });

    /// <summary>A gamma-like stroke (a V with a long right arm).</summary>
    public static byte[] Gamma(int size, SKColor ink, SKColor background, float strokeFraction = 0.04f) =>
        Draw(size, ink, background, strokeFraction, (path, s) =>
        {
            path.MoveTo(0.22f * s, 0.22f * s);
            path.CubicTo(0.40f * s, 0.22f * s, 0.48f * s, 0.40f * s, 0.50f * s, 0.55f * s);
            path.MoveTo(0.78f * s, 0.15f * s);
            path.LineTo(0.30f * s, 0.85f * s);
        });

    private static byte[] Draw(int size, SKColor ink, SKColor background, float strokeFraction, Action<SKPath, float> shape)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(background);
        using var path = new SKPath();
        shape(path, size);
        using var paint = new SKPaint
        {
            Color = ink,
            Style = SKPaintStyle.Stroke,
            StrokeWidth = Math.Max(1, strokeFraction * size),
            StrokeCap = SKStrokeCap.Round,
            IsAntialias = true,
            BlendMode = SKBlendMode.Src,
        };
        canvas.DrawPath(path, paint);
        canvas.Flush();
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
