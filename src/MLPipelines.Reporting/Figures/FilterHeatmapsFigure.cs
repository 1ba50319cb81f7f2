using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLPipelines.Reporting.Figures;

/// <summary>
/// Figure 7: the first layer's filters as heat maps in a 3x4 grid, all on one colour scale (shown as a colour
/// bar in the grid's eleventh place), each weight written in its cell.
/// </summary>
public static class FilterHeatmapsFigure
{
    public const int Columns = 4, PanelWidth = 270, PanelHeight = 270;

    public static (int Width, int Height) SizeFor(int filters) =>
        Imaging.PanelGrid.SizeFor(Slots(filters), Columns, PanelWidth, PanelHeight);

    /// <summary>One panel per filter plus the colour bar, rounded up to whole rows (10 filters: 3x4).</summary>
    private static int Slots(int filters) => (filters + 1 + Columns - 1) / Columns * Columns;

    public static void Save(string path, IReadOnlyList<float[,]> filters)
    {
        if (filters.Count == 0) throw new ArgumentException("no filters to draw");
        double limit = filters.SelectMany(f => f.Cast<float>()).Select(v => Math.Abs((double)v)).Max();
        if (limit == 0) limit = 1;
        var panels = new List<SkiaSharp.SKBitmap?>();
        try
        {
            for (int i = 0; i < filters.Count; i++)
                panels.Add(FigureStyle.RenderPlot(Panel(filters[i], limit, $"Filter {i}"), PanelWidth, PanelHeight));
            panels.Add(FigureStyle.RenderPlot(ColorBar(limit), PanelWidth, PanelHeight));
            while (panels.Count < Slots(filters.Count)) panels.Add(null);
            using var grid = Imaging.PanelGrid.Compose($"First-layer filters (conv1, {filters.Count} of {filters[0].GetLength(0)}x{filters[0].GetLength(1)}), one colour scale",
                panels, Columns, PanelWidth, PanelHeight);
            FigureStyle.SavePng(grid, path);
        }
        finally
        {
            foreach (var p in panels) p?.Dispose();
        }
    }

    public static PlotModel Panel(float[,] filter, double limit, string title)
    {
        int rows = filter.GetLength(0), cols = filter.GetLength(1);
        var model = FigureStyle.NewPlot(title);
        model.TitleFontSize = 16;
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "column", MajorStep = 1, MinorStep = 1, Minimum = -0.5, Maximum = cols - 0.5 });
        // Row 0 at the top, as an image is shown.
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "row", MajorStep = 1, MinorStep = 1, Minimum = -0.5, Maximum = rows - 0.5, StartPosition = 1, EndPosition = 0 });
        model.Axes.Add(new LinearColorAxis { Position = AxisPosition.None, Palette = FilterPalette.Palette, Minimum = -limit, Maximum = limit });
        var data = new double[cols, rows];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) data[c, r] = filter[r, c];
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0, X1 = cols - 1, Y0 = 0, Y1 = rows - 1,
            Data = data,
            CoordinateDefinition = HeatMapCoordinateDefinition.Center,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            Interpolate = false,
            LabelFormatString = "0.00",
            LabelFontSize = 0.3,
        });
        return model;
    }

    /// <summary>The shared scale: a vertical gradient from -limit to +limit drawn as a heat map.</summary>
    public static PlotModel ColorBar(double limit)
    {
        const int steps = 101;
        var model = FigureStyle.NewPlot("Colour scale");
        model.TitleFontSize = 16;
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, IsAxisVisible = false, Minimum = -0.5, Maximum = 1.5 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "weight", Minimum = -limit, Maximum = limit, StringFormat = "0.00" });
        model.Axes.Add(new LinearColorAxis { Position = AxisPosition.None, Palette = FilterPalette.Palette, Minimum = -limit, Maximum = limit });
        // Two equal columns: a heat map needs a width, and one column centred on X0 = X1 has none.
        var data = new double[2, steps];
        for (int k = 0; k < steps; k++) data[0, k] = data[1, k] = -limit + 2 * limit * k / (steps - 1);
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0, X1 = 1, Y0 = -limit, Y1 = limit, Data = data,
            CoordinateDefinition = HeatMapCoordinateDefinition.Center,
            RenderMethod = HeatMapRenderMethod.Rectangles,
        });
        model.PlotMargins = new OxyThickness(70, double.NaN, 120, double.NaN);
        return model;
    }

    public static string Format(float v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
