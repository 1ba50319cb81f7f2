using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLPipelines.Reporting.Figures;

/// <summary>
/// Figure 9a: the test set's confusion matrix, true class down, predicted class across, the count in each
/// cell. Colours follow a logarithmic scale so that a handful of mistakes still shows beside a thousand hits;
/// empty cells stay white.
/// </summary>
public static class ConfusionMatrixFigure
{
    public const int Width = 820, Height = 720;

    public static PlotModel Model(int[,] confusion, IReadOnlyList<string> classes, double accuracy)
    {
        int k = confusion.GetLength(0);
        if (confusion.GetLength(1) != k || classes.Count != k) throw new ArgumentException("the confusion matrix must be square, one row per class");
        var model = FigureStyle.NewPlot(string.Create(CultureInfo.InvariantCulture, $"Confusion matrix of the test set (accuracy {accuracy:0.00%})"));
        string Name(double v) => v >= 0 && v < k && Math.Abs(v - Math.Round(v)) < 1e-6 ? classes[(int)Math.Round(v)] : "";
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Predicted label", MajorStep = 1, MinorStep = 1, Minimum = -0.5, Maximum = k - 0.5, LabelFormatter = Name });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "True label", MajorStep = 1, MinorStep = 1, Minimum = -0.5, Maximum = k - 0.5, StartPosition = 1, EndPosition = 0, LabelFormatter = Name });
        int max = confusion.Cast<int>().DefaultIfEmpty(1).Max();
        model.Axes.Add(new LogarithmicColorAxis
        {
            Position = AxisPosition.Right,
            Title = "count (log scale)",
            // Light enough at the top that the black counts stay readable on the diagonal.
            Palette = OxyPalette.Interpolate(200, OxyColor.FromRgb(0xEC, 0xF5, 0xFD), OxyColor.FromRgb(0x90, 0xCA, 0xF9), OxyColor.FromRgb(0x3D, 0x9B, 0xE9)),
            Minimum = 1,
            Maximum = Math.Max(max, 2),
            InvalidNumberColor = OxyColors.White,
        });
        var data = new double[k, k];
        for (int t = 0; t < k; t++)
            for (int p = 0; p < k; p++) data[p, t] = confusion[t, p] == 0 ? double.NaN : confusion[t, p];
        model.Series.Add(new CountHeatMapSeries
        {
            X0 = 0, X1 = k - 1, Y0 = 0, Y1 = k - 1,
            Data = data,
            CoordinateDefinition = HeatMapCoordinateDefinition.Center,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            LabelFormatString = "0",
            LabelFontSize = 0.3,
        });
        return model;
    }

    public static void Save(string path, int[,] confusion, IReadOnlyList<string> classes, double accuracy) =>
        FigureStyle.SavePlot(Model(confusion, classes, accuracy), path, Width, Height);

    /// <summary>Counts as labels, none in empty cells.</summary>
    private sealed class CountHeatMapSeries : HeatMapSeries
    {
        protected override string GetLabel(double v, int i, int j) => double.IsNaN(v) ? "" : base.GetLabel(v, i, j);
    }
}
