using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Reporting;

/// <summary>One value of one factor: the trials with it, their mean accuracy before and after training, and time.</summary>
public sealed record FactorRow(string Factor, double Value, int Trials, double AccuracyBefore, double AccuracyAfter, double BestAfter,
    double SecondsPerEpoch, double CpuSecondsPerEpoch, double WallSeconds);

/// <summary>A question the assignment asked of the data, and the answer the trials give.</summary>
public sealed record Hypothesis(string Question, string Answer, bool? Holds);

/// <summary>
/// What the report says, computed from a study: per-factor tables (the one-factor table when the study is one
/// factor at a time around a base; the mean over the other factors otherwise), the best trial, the hypothesis checks.
/// Only trials that trained the full epochs count (pruned ones stopped early and are not comparable).
/// </summary>
public sealed class SweepSummary
{
    public SweepSummary(Study study)
    {
        Study = study;
        Space = study.Config.ParseSpace();
        Complete = study.Trials.Where(t => t.State == TrialState.Complete && t.Accuracy is not null).ToList();
        Base = study.Config.Tuner == "ofat" && study.Config.Base is not null ? ParameterSet.Parse(study.Config.Base) : null;
        Factors = Space.Parameters.Select(p => (p.Name, Rows(p.Name))).Where(f => f.Item2.Count > 0)
            .ToDictionary(f => f.Name, f => f.Item2);
        Hypotheses = Checks().ToList();
    }

    public Study Study { get; }
    public SearchSpace Space { get; }
    public IReadOnlyList<Trial> Complete { get; }
    /// <summary>The one-factor base point, when the study is one factor at a time.</summary>
    public ParameterSet? Base { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<FactorRow>> Factors { get; }
    public IReadOnlyList<Hypothesis> Hypotheses { get; }
    public Trial? Best => Study.Best;

    /// <summary>The trials that speak about a factor: for a one-factor study, the base and the trials that move only it.</summary>
    public IEnumerable<Trial> TrialsFor(string factor) => Base is null
        ? Complete
        : Complete.Where(t => t.Parameters.Equals(Base) || OneFactorTuner.VariedFactor(Base, t.Parameters) == factor);

    private IReadOnlyList<FactorRow> Rows(string factor) =>
        TrialsFor(factor).GroupBy(t => t.Parameters[factor]).OrderBy(g => g.Key).Select(g => new FactorRow(factor, g.Key, g.Count(),
            g.Average(t => t.AccuracyBefore ?? double.NaN), g.Average(t => t.Accuracy!.Value), g.Max(t => t.Accuracy!.Value),
            g.Average(t => t.SecondsPerEpoch ?? double.NaN), g.Average(t => t.CpuSecondsPerEpoch ?? double.NaN), g.Average(t => t.WallSeconds))).ToList();

    private IEnumerable<Hypothesis> Checks()
    {
        if (Find("batch", "batch_size") is { } batch) yield return Trend("Does accuracy fall as batch size grows?", batch, "batch size");
        if (Find("dropout") is { } dropout) yield return Trend("Does accuracy fall as dropout grows?", dropout, "dropout");
        if (Find("kernel", "kernel_size") is { } kernel && kernel.Any(r => r.Value == 4) && kernel.Any(r => r.Value == 5))
        {
            var k4 = kernel.First(r => r.Value == 4);
            var k5 = kernel.First(r => r.Value == 5);
            // CPU time when measured (a busy machine stretches wall time, not work); wall time otherwise.
            bool cpu = !double.IsNaN(k4.CpuSecondsPerEpoch) && !double.IsNaN(k5.CpuSecondsPerEpoch);
            double t4 = cpu ? k4.CpuSecondsPerEpoch : k4.SecondsPerEpoch, t5 = cpu ? k5.CpuSecondsPerEpoch : k5.SecondsPerEpoch;
            double change = t4 / t5 - 1;
            bool slower = change > 0.02;
            string verdict = slower ? "Yes" : change < -0.02 ? "No, it is faster" : "No clear difference";
            string wall = cpu ? $" (wall clock: {k4.SecondsPerEpoch:F2} s against {k5.SecondsPerEpoch:F2} s of training per epoch)" : "";
            yield return new Hypothesis("Is kernel size 4 slower than 5?",
                $"{verdict}: {t4:F2} {(cpu ? "CPU " : "")}s per epoch at kernel 4 against {t5:F2} s at kernel 5 ({change:+0.0%;-0.0%}){wall}; " +
                $"accuracy {k4.AccuracyAfter:P2} against {k5.AccuracyAfter:P2}.", slower);
        }
    }

    private IReadOnlyList<FactorRow>? Find(params string[] names) =>
        names.Select(n => Factors.FirstOrDefault(f => f.Key.Equals(n, StringComparison.OrdinalIgnoreCase)).Value).FirstOrDefault(r => r is { Count: >= 2 });

    private static Hypothesis Trend(string question, IReadOnlyList<FactorRow> rows, string what)
    {
        double rho = Spearman(rows.Select(r => r.Value).ToList(), rows.Select(r => r.AccuracyAfter).ToList());
        var first = rows[0];
        var last = rows[^1];
        bool falls = rho <= -0.5 && last.AccuracyAfter < first.AccuracyAfter;
        string verdict = falls ? "Yes" : rho >= 0.5 && last.AccuracyAfter > first.AccuracyAfter ? "No, it rises" : "No clear trend";
        return new Hypothesis(question,
            $"{verdict}: mean test accuracy {first.AccuracyAfter:P2} at {what} {ParameterSpec.Format(first.Value)}, {last.AccuracyAfter:P2} at " +
            $"{ParameterSpec.Format(last.Value)} (Spearman rank correlation {rho:+0.00;-0.00} over {rows.Count} values, " +
            $"{(last.AccuracyAfter - first.AccuracyAfter) * 100:+0.00;-0.00} points).", falls);
    }

    /// <summary>Spearman's rank correlation (average ranks for ties).</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(IReadOnlyList<double> v)
    {
        var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Count];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]]) j++;
            for (int k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return ranks;
    }
}
