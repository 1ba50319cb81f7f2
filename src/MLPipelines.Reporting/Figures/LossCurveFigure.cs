using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MLPipelines.Reporting.Figures;

/// <summary>Figure 3: train loss (a point every N batches) and test loss (each epoch) against training examples seen.</summary>
public static class LossCurveFigure
{
    public const int Width = 1000, Height = 600;

    public static PlotModel Model(IReadOnlyList<(long Seen, double Loss)> train, IReadOnlyList<(long Seen, double Loss)> test, int logInterval)
    {
        var model = FigureStyle.NewPlot("Train and test loss");
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom,
            Title = "Number of training examples seen",
            StringFormat = "#,0",
            MajorGridlineStyle = LineStyle.Dot,
            MinimumPadding = 0.01,
            MaximumPadding = 0.02,
        });
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Left,
            Title = "Negative log-likelihood loss",
            Minimum = 0,
            MajorGridlineStyle = LineStyle.Dot,
            MaximumPadding = 0.05,
        });
        var trainSeries = new LineSeries { Title = $"Train loss (every {logInterval} batches)", Color = OxyColor.FromRgb(0x1F, 0x77, 0xB4), StrokeThickness = 1.2 };
        trainSeries.Points.AddRange(train.Select(p => new DataPoint(p.Seen, p.Loss)));
        var testSeries = new ScatterSeries
        {
            Title = "Test loss (each epoch)",
            MarkerType = MarkerType.Circle,
            MarkerSize = 6,
            MarkerFill = OxyColor.FromRgb(0xD6, 0x27, 0x28),
            MarkerStroke = OxyColors.White,
            MarkerStrokeThickness = 1,
        };
        testSeries.Points.AddRange(test.Select(p => new ScatterPoint(p.Seen, p.Loss)));
        model.Series.Add(trainSeries);
        model.Series.Add(testSeries);
        model.Legends.Add(new Legend
        {
            LegendPosition = LegendPosition.RightTop,
            LegendBackground = OxyColor.FromAColor(230, OxyColors.White),
            LegendBorder = OxyColors.Gray,
            LegendFontSize = 14,
        });
        return model;
    }

    public static void Save(string path, IReadOnlyList<(long Seen, double Loss)> train, IReadOnlyList<(long Seen, double Loss)> test, int logInterval)
    {
        if (train.Count == 0 && test.Count == 0) throw new ArgumentException("no loss points to plot");
        FigureStyle.SavePlot(Model(train, test, logInterval), path, Width, Height);
    }
}
