using System.Globalization;
using MLPipelines.Core.Runs;
using SkiaSharp;

namespace MLPipelines.Reporting.Figures;

/// <summary>
/// Figure 2: the network summary as a table image (layer and type, output shape, parameters; then total,
/// trainable and non-trainable counts), the way torchinfo prints it. A table is text, so it is set with
/// SkiaSharp rather than a chart library.
/// </summary>
public static class NetworkSummaryFigure
{
    public const int Width = 760;
    private const int Margin = 24, RowHeight = 30, TitleHeight = 50;
    private static readonly float[] ColumnLeft = [Margin, 330, 560];

    public static (int Width, int Height) SizeFor(NetworkSummaryData s) =>
        (Width, TitleHeight + RowHeight * (s.Layers.Count + 2) + 10 + 3 * RowHeight + Margin);

    public static void Save(string path, NetworkSummaryData summary)
    {
        var (width, height) = SizeFor(summary);
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var title = FigureStyle.TextPaint(FigureStyle.TitleSize, FigureStyle.Ink, bold: true);
            FigureStyle.DrawCentered(canvas, $"Network summary: {summary.Model}, input {summary.InputShape}", width / 2f, TitleHeight - 16, title);
            using var head = FigureStyle.TextPaint(FigureStyle.CaptionSize, SKColors.White, bold: true);
            using var text = FigureStyle.TextPaint(FigureStyle.CaptionSize, FigureStyle.Ink);
            using var strong = FigureStyle.TextPaint(FigureStyle.CaptionSize, FigureStyle.Ink, bold: true);
            using var headFill = new SKPaint { Color = new SKColor(0x37, 0x47, 0x4F) };
            using var stripe = new SKPaint { Color = new SKColor(0xEC, 0xEF, 0xF1) };
            using var rule = new SKPaint { Color = new SKColor(0x90, 0xA4, 0xAE), StrokeWidth = 1.5f };

            float y = TitleHeight;
            canvas.DrawRect(Margin, y, width - 2 * Margin, RowHeight, headFill);
            Row(canvas, y, head, "Layer (type)", "Output shape", "Param #");
            y += RowHeight;
            Row(canvas, y, strong, summary.Model, summary.OutputShape, "--");
            y += RowHeight;
            for (int i = 0; i < summary.Layers.Count; i++, y += RowHeight)
            {
                var l = summary.Layers[i];
                if (i % 2 == 0) canvas.DrawRect(Margin, y, width - 2 * Margin, RowHeight, stripe);
                Row(canvas, y, text, $"  {l.Name} ({l.Type})", l.OutputShape, ParamText(l));
            }
            canvas.DrawLine(Margin, y + 4, width - Margin, y + 4, rule);
            y += 10;
            foreach (var (label, value) in new[] { ("Total params", summary.Total), ("Trainable params", summary.Trainable), ("Non-trainable params", summary.NonTrainable) })
            {
                canvas.DrawText(label + ":", ColumnLeft[0] + 8, y + RowHeight - 10, strong);
                canvas.DrawText(N(value), ColumnLeft[2], y + RowHeight - 10, strong);
                y += RowHeight;
            }
        }
        FigureStyle.SavePng(bitmap, path);
    }

    /// <summary>torchinfo's convention: "--" for no parameters, parentheses when all are frozen.</summary>
    public static string ParamText(NetworkLayer l) => l.Parameters == 0 ? "--" : l.Trainable == 0 ? $"({N(l.Parameters)})" : N(l.Parameters);

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static void Row(SKCanvas canvas, float top, SKPaint paint, string a, string b, string c)
    {
        float baseline = top + RowHeight - 10;
        canvas.DrawText(a, ColumnLeft[0] + 8, baseline, paint);
        canvas.DrawText(b, ColumnLeft[1], baseline, paint);
        canvas.DrawText(c, ColumnLeft[2], baseline, paint);
    }
}
