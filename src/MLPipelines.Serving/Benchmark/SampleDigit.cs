using SkiaSharp;

namespace MLPipelines.Serving.Benchmark;

/// <summary>
/// The image the drawing page sends: a 280x280 PNG of dark strokes on white, here a hand-like "7", so that
/// a benchmark needs no data files and measures the payload real users send.
/// </summary>
public static class SampleDigit
{
    public static byte[] SevenPng(int size = 280)
    {
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var pen = new SKPaint
            {
                Color = SKColors.Black,
                StrokeWidth = size / 15f,
                Style = SKPaintStyle.Stroke,
                StrokeCap = SKStrokeCap.Round,
                StrokeJoin = SKStrokeJoin.Round,
                IsAntialias = true,
            };
            float s = size / 280f;
            using var path = new SKPath();
            path.MoveTo(80 * s, 70 * s);
            path.LineTo(200 * s, 66 * s);
            path.QuadTo(150 * s, 140 * s, 128 * s, 220 * s);
            canvas.DrawPath(path, pen);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
