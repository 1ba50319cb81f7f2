using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Reporting;

/// <summary>A parameter's share of what explains the accuracy (the shares sum to 1).</summary>
public sealed record Importance(string Parameter, double Share);

/// <summary>
/// Parameter importances as permutation importance on a fitted surrogate: a random forest (100 regression trees on
/// bootstrap samples, depth at most 6, leaves of at least 2 trials) predicts a trial's final accuracy from its
/// parameters (ranges on their own scale, log where they say log); a parameter's importance is how much the forest's
/// error grows when that parameter's column is shuffled (out-of-bag, 5 shuffles), normalised to shares. Not fANOVA
/// (which decomposes the surrogate's variance); permutation importance is simpler and, on small studies, as telling.
/// Deterministic for a given study.
/// </summary>
public static class ParameterImportance
{
    private const int Trees = 100, MaxDepth = 6, MinLeaf = 2, Shuffles = 5;

    /// <summary>The importances of the study's parameters, largest first; empty with fewer than 8 finished trials.</summary>
    public static IReadOnlyList<Importance> Of(Study study)
    {
        var space = study.Config.ParseSpace();
        int full = study.Trials.Where(t => t.Accuracy is not null).Select(t => t.EpochsDone).DefaultIfEmpty(0).Max();
        var trials = study.Trials.Where(t => t.Accuracy is not null && t.EpochsDone == full).OrderBy(t => t.Number).ToList();
        var varied = space.Parameters.Where(p => trials.Select(t => t.Parameters.TryGet(p.Name, out double v) ? v : double.NaN).Distinct().Count() > 1).ToList();
        if (trials.Count < 8 || varied.Count == 0) return [];
        double[][] x = trials.Select(t => varied.Select(p => Encode(p, t.Parameters)).ToArray()).ToArray();
        double[] y = trials.Select(t => t.Accuracy!.Value).ToArray();
        var random = new Random(12345);
        var forest = Enumerable.Range(0, Trees).Select(_ =>
        {
            int[] sample = Enumerable.Range(0, y.Length).Select(_ => random.Next(y.Length)).ToArray();
            return (Tree: Node.Grow(x, y, sample, 0, random), OutOfBag: Enumerable.Range(0, y.Length).Except(sample).ToArray());
        }).ToList();

        double Error(Func<int, double[]> row)
        {
            double sum = 0;
            int n = 0;
            foreach (var (tree, oob) in forest)
                foreach (int i in oob)
                {
                    double d = tree.Predict(row(i)) - y[i];
                    sum += d * d;
                    n++;
                }
            return n == 0 ? 0 : sum / n;
        }

        double baseError = Error(i => x[i]);
        var raw = new double[varied.Count];
        for (int j = 0; j < varied.Count; j++)
        {
            for (int s = 0; s < Shuffles; s++)
            {
                int[] order = Enumerable.Range(0, y.Length).ToArray();
                random.Shuffle(order);
                raw[j] += Math.Max(0, Error(i => x[i].Select((v, k) => k == j ? x[order[i]][j] : v).ToArray()) - baseError) / Shuffles;
            }
        }
        double total = raw.Sum();
        return varied.Select((p, j) => new Importance(p.Name, total > 0 ? raw[j] / total : 1.0 / varied.Count))
            .OrderByDescending(i => i.Share).ThenBy(i => i.Parameter, StringComparer.Ordinal).ToList();
    }

    /// <summary>The parameter on its own scale: log for log ranges, the value otherwise (choices are ordered numbers).</summary>
    public static double Encode(ParameterSpec spec, ParameterSet point)
    {
        double v = point.TryGet(spec.Name, out double x) ? x : 0;
        bool log = spec is FloatRange { Log: true } or IntRange { Log: true };
        return log ? Math.Log(Math.Max(v, 1e-12)) : v;
    }

    private sealed class Node
    {
        private int feature = -1;
        private double threshold, value;
        private Node? left, right;

        public double Predict(double[] row)
        {
            var node = this;
            while (node.feature >= 0) node = row[node.feature] <= node.threshold ? node.left! : node.right!;
            return node.value;
        }

        /// <summary>A regression tree on the rows <paramref name="rows"/>: each split the one (of every feature's midpoints) that lowers the squared error most.</summary>
        public static Node Grow(double[][] x, double[] y, int[] rows, int depth, Random random)
        {
            var node = new Node { value = rows.Average(i => y[i]) };
            if (depth >= MaxDepth || rows.Length < 2 * MinLeaf) return node;
            double bestGain = 1e-15;
            int features = x[0].Length;
            // Each split looks at a random third of the features (at least one), as random forests for regression do.
            var candidates = Enumerable.Range(0, features).OrderBy(_ => random.Next()).Take(Math.Max(1, (features + 2) / 3)).ToList();
            double parent = Sse(rows, y);
            foreach (int f in candidates)
            {
                var sorted = rows.OrderBy(i => x[i][f]).ToArray();
                for (int k = MinLeaf; k <= sorted.Length - MinLeaf; k++)
                {
                    if (x[sorted[k - 1]][f] == x[sorted[k]][f]) continue;
                    double gain = parent - Sse(sorted[..k], y) - Sse(sorted[k..], y);
                    if (gain <= bestGain) continue;
                    bestGain = gain;
                    node.feature = f;
                    node.threshold = (x[sorted[k - 1]][f] + x[sorted[k]][f]) / 2;
                }
            }
            if (node.feature < 0) return node;
            node.left = Grow(x, y, rows.Where(i => x[i][node.feature] <= node.threshold).ToArray(), depth + 1, random);
            node.right = Grow(x, y, rows.Where(i => x[i][node.feature] > node.threshold).ToArray(), depth + 1, random);
            return node;
        }

        private static double Sse(IReadOnlyList<int> rows, double[] y)
        {
            double mean = 0;
            foreach (int i in rows) mean += y[i];
            mean /= rows.Count;
            double s = 0;
            foreach (int i in rows) s += (y[i] - mean) * (y[i] - mean);
            return s;
        }
    }
}
