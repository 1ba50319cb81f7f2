using MLPipelines.Data.IO;
using MLPipelines.Sweeps.Trials;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MLPipelines.Sweeps.Reporting;

/// <summary>The report's charts as PNG files (OxyPlot drawn by SkiaSharp), each with a title and labelled axes.</summary>
public static class SweepCharts
{
    /// <summary>Mean test accuracy after training against a factor's values, with each trial as a point.</summary>
    public static string AccuracyAgainst(SweepSummary summary, string factor, string path)
    {
        var model = Model($"Test accuracy against {factor} ({summary.Study.Name})", factor, "test accuracy after training (%)", Step(summary, factor));
        var trials = new ScatterSeries { Title = "trials", MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = OxyColor.FromAColor(110, OxyColors.SteelBlue) };
        foreach (var t in summary.TrialsFor(factor)) trials.Points.Add(new ScatterPoint(t.Parameters[factor], t.Accuracy!.Value * 100));
        var mean = new LineSeries { Title = "mean", MarkerType = MarkerType.Square, MarkerSize = 4, Color = OxyColors.DarkRed, MarkerFill = OxyColors.DarkRed };
        foreach (var r in summary.Factors[factor]) mean.Points.Add(new DataPoint(r.Value, r.AccuracyAfter * 100));
        model.Series.Add(trials);
        model.Series.Add(mean);
        return Save(model, path);
    }

    /// <summary>Seconds per epoch against kernel size (or any factor): CPU and wall clock, each trial a point, with the means.</summary>
    public static string TimeAgainst(SweepSummary summary, string factor, string path)
    {
        var model = Model($"Time per epoch against {factor} ({summary.Study.Name})", factor, "seconds per epoch", Step(summary, factor));
        void Add(string title, OxyColor color, Func<Trial, double?> perTrial, Func<FactorRow, double> mean)
        {
            var trials = new ScatterSeries { Title = $"{title}, trials", MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = OxyColor.FromAColor(110, color) };
            foreach (var t in summary.TrialsFor(factor))
                if (perTrial(t) is double v) trials.Points.Add(new ScatterPoint(t.Parameters[factor], v));
            var line = new LineSeries { Title = $"{title}, mean", MarkerType = MarkerType.Square, MarkerSize = 4, Color = color, MarkerFill = color };
            foreach (var r in summary.Factors[factor].Where(r => !double.IsNaN(mean(r)))) line.Points.Add(new DataPoint(r.Value, mean(r)));
            model.Series.Add(trials);
            model.Series.Add(line);
        }
        Add("CPU s (with evaluation)", OxyColors.DarkGreen, t => t.CpuSecondsPerEpoch, r => r.CpuSecondsPerEpoch);
        Add("wall s of training", OxyColors.DarkOrange, t => t.SecondsPerEpoch, r => r.SecondsPerEpoch);
        return Save(model, path);
    }

    /// <summary>Every trial's test accuracy by epoch: where successive halving stopped the poor ones.</summary>
    public static string Curves(Study study, string path)
    {
        var model = Model($"Test accuracy by epoch, every trial ({study.Name})", "epoch", "test accuracy (%)", 1);
        model.IsLegendVisible = false;
        foreach (var t in study.Trials.Where(t => t.EpochsDone > 0))
        {
            var line = new LineSeries
            {
                Color = t.State == TrialState.Complete ? OxyColor.FromAColor(170, OxyColors.SteelBlue) : OxyColor.FromAColor(120, OxyColors.IndianRed),
                StrokeThickness = 1, MarkerType = MarkerType.Circle, MarkerSize = 2,
            };
            foreach (var h in t.History.Where(h => h.Epoch > 0)) line.Points.Add(new DataPoint(h.Epoch, h.TestAccuracy * 100));
            model.Series.Add(line);
        }
        model.Subtitle = "blue: trained the full epochs; red: pruned";
        return Save(model, path);
    }

    /// <summary>Ticks at the factor's values: the smallest gap between two of them (kernel 4 and 5: a tick per unit).</summary>
    private static double Step(SweepSummary summary, string factor)
    {
        var values = summary.Factors[factor].Select(r => r.Value).ToList();
        var gaps = values.Zip(values.Skip(1), (a, b) => Math.Round(b - a, 9)).Where(g => g > 0).ToList();
        return gaps.Count == 0 ? double.NaN : gaps.Min();
    }

    private static PlotModel Model(string title, string x, string y, double xStep = double.NaN)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White, TitleFontSize = 14 };
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Title = x, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.05, MaximumPadding = 0.05,
            MajorStep = double.IsNaN(xStep) ? double.NaN : xStep, MinorStep = double.IsNaN(xStep) ? double.NaN : xStep,
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = y, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.1, MaximumPadding = 0.1 });
        // Outside the plot area: inside, whichever corner is chosen, some trend puts its last point under the legend.
        model.Legends.Add(new Legend { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.RightTop });
        return model;
    }

    private static string Save(PlotModel model, string path)
    {
        var exporter = new OxyPlot.SkiaSharp.PngExporter { Width = 800, Height = 480 };
        AtomicFile.Write(path, s => exporter.Export(model, s));
        return path;
    }
}
