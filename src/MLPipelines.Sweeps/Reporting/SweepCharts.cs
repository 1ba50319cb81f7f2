using MLPipelines.Data.IO;
using MLPipelines.Sweeps.Space;
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

    /// <summary>Optimization history, as Optuna's: each trial's final accuracy by trial number, and the best so far.</summary>
    public static string History(Study study, string path)
    {
        var model = Model($"Optimization history ({study.Name})", "trial", "test accuracy after training (%)");
        int full = study.Trials.Where(t => t.Accuracy is not null).Select(t => t.EpochsDone).DefaultIfEmpty(0).Max();
        var complete = new ScatterSeries { Title = "trial", MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = OxyColor.FromAColor(150, OxyColors.SteelBlue) };
        var pruned = new ScatterSeries { Title = "pruned (at its last epoch)", MarkerType = MarkerType.Circle, MarkerSize = 2.5, MarkerFill = OxyColor.FromAColor(120, OxyColors.IndianRed) };
        var best = new StairStepSeries { Title = "best so far", Color = OxyColors.DarkRed, StrokeThickness = 2 };
        double top = double.NaN;
        foreach (var t in study.Trials.Where(t => t.Accuracy is not null).OrderBy(t => t.Number))
        {
            bool isFull = t.EpochsDone == full;
            (isFull ? complete : pruned).Points.Add(new ScatterPoint(t.Number, t.Accuracy!.Value * 100));
            if (isFull) top = double.IsNaN(top) ? t.Accuracy.Value : Math.Max(top, t.Accuracy.Value);
            if (!double.IsNaN(top)) best.Points.Add(new DataPoint(t.Number, top * 100));
        }
        model.Series.Add(complete);
        if (pruned.Points.Count > 0) model.Series.Add(pruned);
        model.Series.Add(best);
        return Save(model, path);
    }

    /// <summary>The parameters' importances (<see cref="ParameterImportance"/>) as horizontal bars.</summary>
    public static string Importances(Study study, IReadOnlyList<Importance> importances, string path)
    {
        var model = new PlotModel { Title = $"Parameter importances ({study.Name})", Subtitle = "permutation importance on a random-forest surrogate", Background = OxyColors.White, TitleFontSize = 14 };
        var ordered = importances.Reverse().ToList();
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, ItemsSource = ordered.Select(i => i.Parameter).ToList() });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "share of the importance (%)", Minimum = 0, MaximumPadding = 0.15, MajorGridlineStyle = LineStyle.Dot });
        var bars = new BarSeries { FillColor = OxyColors.SteelBlue, LabelFormatString = "{0:0.0}", LabelPlacement = LabelPlacement.Outside };
        foreach (var i in ordered) bars.Items.Add(new BarItem(i.Share * 100));
        model.Series.Add(bars);
        return Save(model, path);
    }

    /// <summary>
    /// Parallel coordinates, as Optuna's: one line per finished trial across the parameters (each axis from its lowest to its
    /// highest value in the study, log where the range is) and the accuracy last; the better the trial, the darker its line.
    /// </summary>
    public static string ParallelCoordinates(Study study, string path)
    {
        var space = study.Config.ParseSpace();
        int full = study.Trials.Where(t => t.Accuracy is not null).Select(t => t.EpochsDone).DefaultIfEmpty(0).Max();
        var trials = study.Trials.Where(t => t.Accuracy is not null && t.EpochsDone == full).ToList();
        var axes = space.Parameters.Select(p => (p.Name, Values: trials.Select(t => ParameterImportance.Encode(p, t.Parameters)).ToList(),
            Log: p is FloatRange { Log: true } or IntRange { Log: true })).ToList();
        var names = axes.Select(a => a.Name + (a.Log ? " (log)" : "")).Append("accuracy").ToList();
        var model = new PlotModel { Title = $"Parallel coordinates ({study.Name})", Subtitle = "each line a trial; darker: higher in the ranking by accuracy", Background = OxyColors.White, TitleFontSize = 14 };
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Minimum = -0.2, Maximum = names.Count - 0.8, MajorStep = 1, MinorStep = 1,
            LabelFormatter = v => Math.Abs(v - Math.Round(v)) < 1e-6 && v >= 0 && v < names.Count ? names[(int)Math.Round(v)] : "",
            MajorGridlineStyle = LineStyle.Solid, MajorGridlineColor = OxyColors.Gray,
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "each axis from its lowest (0) to its highest (1) value", Minimum = -0.05, Maximum = 1.05 });
        static double Unit(double v, double lo, double hi) => hi > lo ? (v - lo) / (hi - lo) : 0.5;
        var accuracy = trials.Select(t => t.Accuracy!.Value).ToList();
        double aLo = accuracy.DefaultIfEmpty(0).Min(), aHi = accuracy.DefaultIfEmpty(1).Max();
        var byAccuracy = trials.Select((t, k) => (t, k)).OrderBy(x => x.t.Accuracy).ToList();
        foreach (var ((t, k), order) in byAccuracy.Select((x, order) => (x, order)))
        {
            // Coloured by rank, not by value: one failed trial would otherwise make every other line the same colour.
            double rank = byAccuracy.Count == 1 ? 1 : (double)order / (byAccuracy.Count - 1);
            var line = new LineSeries { Color = OxyColor.FromAColor((byte)(40 + 200 * rank), OxyColor.FromRgb((byte)(200 - 170 * rank), (byte)(210 - 150 * rank), 230)), StrokeThickness = 1 + rank };
            for (int i = 0; i < axes.Count; i++)
                line.Points.Add(new DataPoint(i, Unit(axes[i].Values[k], axes[i].Values.Min(), axes[i].Values.Max())));
            line.Points.Add(new DataPoint(axes.Count, Unit(t.Accuracy!.Value, aLo, aHi)));
            model.Series.Add(line);
        }
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
