using MLPipelines.Data.IO;
using MLPipelines.Prediction.Imaging;
using MLPipelines.Training;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace MLPipelines.Cli.Commands;

/// <summary>One letter in a grid: the file as drawn, the 28x28 image the network got, a caption, and whether it was right.</summary>
public sealed record LetterTile(string SourcePath, GrayImage Input, string Caption, bool? Correct);

/// <summary>The Greek stage's figures: the training curve and grids of letters, as PNG (written atomically).</summary>
public static class GreekFigures
{
    private const string Font = "DejaVu Sans";
    private static readonly SKColor Hit = new(0x1B, 0x6E, 0x20);
    private static readonly SKColor Miss = new(0xC6, 0x28, 0x28);
    private static readonly SKColor Ink = new(0x20, 0x20, 0x20);

    /// <summary>
    /// Training loss per epoch (the mean of the epoch's batch losses, as the assignment plots it, and the loss of
    /// the whole training set after the epoch) and the training set's accuracy after each epoch.
    /// </summary>
    public static void TrainingCurve(string path, TrainingHistory history, string title)
    {
        var model = new PlotModel
        {
            Title = title,
            DefaultFont = Font,
            DefaultFontSize = 14,
            TitleFontSize = 18,
            Background = OxyColors.White,
        };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Epoch", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "Negative log-likelihood loss", Minimum = 0, MaximumPadding = 0.05, Key = "loss", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Right, Title = "Training accuracy (%)", Minimum = 0, Maximum = 102, Key = "accuracy" });

        var batchMean = new LineSeries { Title = "Training loss (mean over the epoch's batches)", Color = OxyColor.FromRgb(0x1F, 0x77, 0xB4), StrokeThickness = 2, YAxisKey = "loss" };
        batchMean.Points.AddRange(history.Train.GroupBy(p => p.Epoch).OrderBy(g => g.Key).Select(g => new DataPoint(g.Key, g.Average(p => p.Loss))));
        var evaluated = new LineSeries { Title = "Training set loss after the epoch", Color = OxyColor.FromRgb(0xFF, 0x7F, 0x0E), StrokeThickness = 1.5, LineStyle = LineStyle.Dash, YAxisKey = "loss" };
        evaluated.Points.AddRange(history.Test.Select(p => new DataPoint(p.Epoch, p.Loss)));
        var accuracy = new LineSeries { Title = "Training accuracy", Color = OxyColor.FromRgb(0x2C, 0xA0, 0x2C), StrokeThickness = 2, YAxisKey = "accuracy" };
        accuracy.Points.AddRange(history.Test.Select(p => new DataPoint(p.Epoch, 100 * p.Accuracy)));
        model.Series.Add(batchMean);
        model.Series.Add(evaluated);
        model.Series.Add(accuracy);
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightMiddle, LegendBackground = OxyColor.FromAColor(230, OxyColors.White), LegendBorder = OxyColors.Gray });
        AtomicFile.Write(path, s => new PngExporter { Width = 1000, Height = 600 }.Export(model, s));
    }

    /// <summary>
    /// A grid of letters: each tile shows the drawing (composited onto white) and, beside it, the 28x28 input the
    /// network got, with a caption in green when right and red when wrong.
    /// </summary>
    public static void LetterGrid(string path, IReadOnlyList<LetterTile> tiles, string title, int columns = 6)
    {
        if (tiles.Count == 0) throw new ArgumentException("no letters to draw");
        const int thumb = 96, input = 56, pad = 10, caption = 22, titleHeight = 40;
        int tileWidth = thumb + input + 3 * pad, tileHeight = thumb + caption + 2 * pad;
        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        using var bitmap = new SKBitmap(columns * tileWidth, titleHeight + rows * tileHeight);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFamilyName(Font) ?? SKTypeface.Default;
        using var titlePaint = new SKPaint { Typeface = typeface, TextSize = 20, Color = Ink, IsAntialias = true, FakeBoldText = true };
        canvas.DrawText(title, pad, 28, titlePaint);
        using var textPaint = new SKPaint { Typeface = typeface, TextSize = 15, IsAntialias = true };
        using var frame = new SKPaint { Color = new SKColor(0xC0, 0xC0, 0xC0), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        using var pixelated = new SKPaint { FilterQuality = SKFilterQuality.None };
        for (int i = 0; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            int x = (i % columns) * tileWidth + pad, y = titleHeight + (i / columns) * tileHeight + pad;
            using (var drawing = Thumbnail(tile.SourcePath, thumb))
                canvas.DrawBitmap(drawing, x + (thumb - drawing.Width) / 2f, y + (thumb - drawing.Height) / 2f);
            canvas.DrawRect(x, y, thumb, thumb, frame);
            using (var network = Gray(tile.Input))
            {
                var dest = SKRect.Create(x + thumb + pad, y + (thumb - input) / 2f, input, input);
                canvas.DrawBitmap(network, dest, pixelated);
            }
            textPaint.Color = tile.Correct switch { true => Hit, false => Miss, null => Ink };
            string text = tile.Caption;
            while (text.Length > 1 && textPaint.MeasureText(text) > tileWidth - 2 * pad) text = text[..^1];
            canvas.DrawText(text, x, y + thumb + caption - 4, textPaint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, s => png.SaveTo(s));
    }

    /// <summary>The drawing as a person sees it (transparency onto white), fitted into a <paramref name="size"/> square.</summary>
    private static SKBitmap Thumbnail(string path, int size)
    {
        using var decoded = ImageDecoder.Decode(path);
        var gray = ImageDecoder.ToGray(decoded);
        double scale = (double)size / Math.Max(gray.Width, gray.Height);
        var small = GrayResize.Resize(gray, Math.Max(1, (int)Math.Round(gray.Width * scale)), Math.Max(1, (int)Math.Round(gray.Height * scale)));
        return Gray(small);
    }

    private static SKBitmap Gray(GrayImage image) => GrayResize.ToBitmap(image);
}
