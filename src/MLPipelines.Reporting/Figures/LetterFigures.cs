using System.Globalization;
using MLPipelines.Core.Imaging;
using MLPipelines.Reporting.Imaging;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using SkiaSharp;
using LetterImage = MLPipelines.Core.Imaging.GrayImage;
using ReportImage = MLPipelines.Core.Imaging.GrayImage;

namespace MLPipelines.Reporting.Figures;

/// <summary>One letter in a grid: the file as drawn, the 28x28 image the network got, the caption, and whether it is a miss.</summary>
public sealed record LetterTile(string Group, string SourcePath, LetterImage Input, string Caption, bool Miss);

/// <summary>The figures of transfer learning to letters (the Greek stage), in the report's style (<see cref="FigureStyle"/>): the training curve and grids of letters.</summary>
public static class LetterFigures
{
    public const int CellSize = 130;

    /// <summary>
    /// Training loss per epoch (the mean of the epoch's batch losses, as the assignment plots it, and the loss of
    /// the whole training set after the epoch) and the training set's accuracy after each epoch.
    /// </summary>
    /// <param name="batches">Each batch's epoch and training loss.</param>
    /// <param name="epochs">After each epoch (0: before training): the training set's loss and accuracy.</param>
    public static void TrainingCurve(string path, IReadOnlyList<(int Epoch, double Loss)> batches, IReadOnlyList<(int Epoch, double Loss, double Accuracy)> epochs, string title)
    {
        var model = FigureStyle.NewPlot(title);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Epoch", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "Negative log-likelihood loss", Minimum = 0, MaximumPadding = 0.05, Key = "loss", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Right, Title = "Training accuracy (%)", Minimum = 0, Maximum = 102, Key = "accuracy" });

        var batchMean = new LineSeries { Title = "Training loss (mean over the epoch's batches)", Color = OxyColor.FromRgb(0x1F, 0x77, 0xB4), StrokeThickness = 2, YAxisKey = "loss" };
        batchMean.Points.AddRange(batches.GroupBy(p => p.Epoch).OrderBy(g => g.Key).Select(g => new DataPoint(g.Key, g.Average(p => p.Loss))));
        var evaluated = new LineSeries { Title = "Training set loss after the epoch", Color = OxyColor.FromRgb(0xFF, 0x7F, 0x0E), StrokeThickness = 1.5, LineStyle = LineStyle.Dash, YAxisKey = "loss" };
        evaluated.Points.AddRange(epochs.Select(p => new DataPoint(p.Epoch, p.Loss)));
        var accuracy = new LineSeries { Title = "Training accuracy", Color = OxyColor.FromRgb(0x2C, 0xA0, 0x2C), StrokeThickness = 2, YAxisKey = "accuracy" };
        accuracy.Points.AddRange(epochs.Select(p => new DataPoint(p.Epoch, 100 * p.Accuracy)));
        model.Series.Add(batchMean);
        model.Series.Add(evaluated);
        model.Series.Add(accuracy);
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightMiddle, LegendBackground = OxyColor.FromAColor(230, OxyColors.White), LegendBorder = OxyColors.Gray });
        FigureStyle.SavePlot(model, path, 1000, 600);
    }

    /// <summary>
    /// Letters in one grid per group (a class, a style): each drawing as drawn (transparency onto white), the 28x28
    /// image the network got in its corner, the caption above; misses in red and framed.
    /// </summary>
    public static void LetterGrid(string path, IReadOnlyList<LetterTile> tiles, string title, string? footer, Func<string, IReadOnlyList<LetterTile>, string> groupTitle)
    {
        if (tiles.Count == 0) throw new ArgumentException("no letters to draw");
        var groups = tiles.GroupBy(t => t.Group).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, Tiles: g.ToList())).ToList();
        int columns = Math.Clamp(groups.Max(g => g.Tiles.Count), 1, 10);
        var parts = new List<SKBitmap>();
        try
        {
            foreach (var (group, members) in groups)
            {
                var grid = new ImageGrid { Title = groupTitle(group, members), Columns = columns, CellSize = CellSize };
                parts.Add(grid.Render(members.Select(t => new GridCell(AsDrawn(t.SourcePath), t.Caption, t.Miss, Inset: ToReport(t.Input))).ToList()));
            }
            using var figure = VerticalStack.Compose(title, parts, footer);
            FigureStyle.SavePng(figure, path);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    public static string Percent(double p) => p.ToString("0%", CultureInfo.InvariantCulture);

    private static ReportImage AsDrawn(string path)
    {
        using var decoded = ImageDecoder.Decode(path);
        return ToReport(ImageDecoder.ToGray(decoded));
    }

    private static ReportImage ToReport(LetterImage image) => new(image.Width, image.Height, (float[])image.Pixels.Clone());
}
