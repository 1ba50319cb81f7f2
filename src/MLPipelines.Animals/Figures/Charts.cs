using MLPipelines.Data.IO;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MLPipelines.Animals.Figures;

/// <summary>Bar charts as PNG files (OxyPlot rendered with SkiaSharp).</summary>
public static class Charts
{
    private static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(0x1F, 0x77, 0xB4), OxyColor.FromRgb(0xFF, 0x7F, 0x0E), OxyColor.FromRgb(0x2C, 0xA0, 0x2C),
        OxyColor.FromRgb(0xD6, 0x27, 0x28), OxyColor.FromRgb(0x94, 0x67, 0xBD), OxyColor.FromRgb(0x8C, 0x56, 0x4B),
    ];

    /// <summary>
    /// Horizontal bars, one per category; several series are stacked (e.g. photos per class split into
    /// train/validation/test).
    /// </summary>
    public static void StackedBars(string path, string title, string valueTitle, IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, double[] Values)> series, string labelFormat = "{0}")
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White, DefaultFont = "DejaVu Sans" };
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, ItemsSource = categories, StartPosition = 1, EndPosition = 0, GapWidth = 0.4 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = valueTitle, Minimum = 0, MaximumPadding = 0.08, MajorGridlineStyle = LineStyle.Dot });
        for (int s = 0; s < series.Count; s++)
        {
            var bars = new BarSeries
            {
                Title = series[s].Name, IsStacked = series.Count > 1, FillColor = Palette[s % Palette.Length], StrokeThickness = 0,
                LabelFormatString = series.Count == 1 ? labelFormat : null, LabelPlacement = LabelPlacement.Outside,
            };
            foreach (double v in series[s].Values) bars.Items.Add(new BarItem(v));
            model.Series.Add(bars);
        }
        if (series.Count > 1) model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomCenter, LegendPlacement = LegendPlacement.Outside, LegendOrientation = LegendOrientation.Horizontal });
        int height = Math.Max(260, 90 + 34 * categories.Count);
        AtomicFile.Write(path, stream => OxyPlot.SkiaSharp.PngExporter.Export(model, stream, 760, height, 96));
    }
}
