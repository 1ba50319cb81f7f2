using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>
/// The tree-structured Parzen estimator (TPE, Bergstra et al. 2011), as Optuna's <c>TPESampler</c>: after
/// <see cref="StartupTrials"/> random draws, the trials with a result are split into the best gamma(n) and the
/// rest; a density is fitted over each group, l(x) over the good and g(x) over the rest, and of
/// <see cref="Candidates"/> points drawn from l the one with the largest l(x)/g(x) is proposed. Ranges are modelled
/// on their own scale (log where they say log, integers as reals rounded), choices by smoothed frequencies.
/// <para>
/// <see cref="Multivariate"/> (the default, Optuna's <c>multivariate=True</c>): one kernel per trial over all
/// parameters together, so that parameters that act together (the learning rate and the momentum) are modelled
/// together; bandwidths by Scott's rule. Otherwise one density per parameter (univariate TPE, Optuna's default),
/// bandwidths from the neighbours (<see cref="ParzenEstimator"/>).
/// </para>
/// A trial that successive halving trained further ranks above one it stopped earlier. The draws are seeded by the
/// seed and the number of trials, so the proposal is a function of the stored trials, as every tuner's here.
/// </summary>
public sealed class TpeSampler : IConfigurationSampler
{
    public const int DefaultStartupTrials = 10;
    public const int DefaultCandidates = 24;
    private const double PriorWeight = 1.0;

    private readonly SearchSpace space;
    private readonly long seed;

    public TpeSampler(SearchSpace space, long seed, int startupTrials = DefaultStartupTrials, int candidates = DefaultCandidates,
        bool multivariate = true, double gamma = 0.25)
    {
        if (!(gamma > 0 && gamma < 1)) throw new ArgumentException($"gamma must be between 0 and 1 (got {gamma})");
        this.space = space;
        this.seed = seed;
        StartupTrials = startupTrials;
        Candidates = candidates;
        Multivariate = multivariate;
        Gamma = gamma;
    }

    public string Name => "tpe";
    public int StartupTrials { get; }
    public int Candidates { get; }
    public bool Multivariate { get; }
    /// <summary>The good group is the best ceil(Gamma n) trials, at most 25 (Hyperopt's 0.25; Optuna's is 0.1).</summary>
    public double Gamma { get; }

    /// <summary>Startup trials for a study of <paramref name="trials"/>: Optuna's 10, fewer for small studies (a fifth, at least 4).</summary>
    public static int StartupFor(int trials) => trials <= 0 ? DefaultStartupTrials : Math.Clamp(trials / 5, 4, DefaultStartupTrials);

    public ParameterSet? Next(IReadOnlyList<Trial> trials)
    {
        var observed = trials.Where(t => t.State != TrialState.Failed && t.Accuracy is not null)
            .OrderByDescending(t => t.EpochsDone).ThenByDescending(t => t.Accuracy).ThenBy(t => t.Number).ToList();
        if (observed.Count < Math.Max(StartupTrials, 2)) return Sampler.Next(space, trials, seed);

        int goodCount = Math.Clamp((int)Math.Ceiling(Gamma * observed.Count), 1, 25);
        var dims = space.Parameters.Select(Dimension.Of).ToList();
        double[] Encode(Trial t) => dims.Select(d => d.Encode(t.Parameters)).ToArray();
        var good = observed.Take(goodCount).Select(Encode).ToList();
        var bad = observed.Skip(goodCount).Select(Encode).ToList();
        IDensity l = Multivariate ? new JointDensity(dims, good) : new IndependentDensity(dims, good);
        IDensity g = Multivariate ? new JointDensity(dims, bad) : new IndependentDensity(dims, bad);

        var seen = trials.Select(t => t.Parameters.Key).ToHashSet();
        var random = new Random(unchecked((int)(seed * 1_000_003 + trials.Count * 7919 + 11)));
        ParameterSet? best = null;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < Candidates * 4 && (best is null || c < Candidates); c++)
        {
            double[] x = l.Sample(random);
            var point = new ParameterSet(dims.Select((d, i) => new KeyValuePair<string, double>(d.Name, d.Decode(x[i]))));
            double score = l.LogDensity(x) - g.LogDensity(x);
            if (seen.Contains(point.Key) || score <= bestScore) continue;
            best = point;
            bestScore = score;
        }
        return best ?? Sampler.Next(space, trials, seed);
    }

    /// <summary>A parameter on TPE's internal scale: a range's (log) value, or a choice's index.</summary>
    private sealed record Dimension(string Name, bool Categorical, double Low, double High, bool Log, bool Integer, IReadOnlyList<double> Choices)
    {
        public static Dimension Of(ParameterSpec spec) => spec switch
        {
            Choice c => new(c.Name, true, 0, c.Values.Count - 1, false, false, c.Values),
            FloatRange f => new(f.Name, false, Scale(f.Low, f.Log), Scale(f.High, f.Log), f.Log, false, []),
            IntRange r => new(r.Name, false, Scale(r.Low - 0.5, r.Log), Scale(r.High + 0.5, r.Log), r.Log, true, [r.Low, r.High]),
            _ => throw new NotSupportedException($"TPE cannot model {spec.GetType().Name} parameters"),
        };

        private static double Scale(double v, bool log) => log ? Math.Log(Math.Max(v, 1e-12)) : v;

        public double Encode(ParameterSet p)
        {
            double v = p.TryGet(Name, out double x) ? x : double.NaN;
            if (Categorical) return Math.Max(0, Choices.ToList().IndexOf(v));
            return Math.Clamp(Scale(v, Log), Low, High);
        }

        public double Decode(double x)
        {
            if (Categorical) return Choices[(int)x];
            double v = Log ? Math.Exp(x) : x;
            return Integer ? Math.Clamp(Math.Round(v), Choices[0], Choices[1]) : v;
        }
    }

    private interface IDensity
    {
        double[] Sample(Random random);
        double LogDensity(double[] x);
    }

    /// <summary>Univariate TPE: each parameter's own density, the log densities summed.</summary>
    private sealed class IndependentDensity : IDensity
    {
        private readonly IReadOnlyList<Dimension> dims;
        private readonly ParzenEstimator?[] ranges;
        private readonly double[][] categorical;

        public IndependentDensity(IReadOnlyList<Dimension> dims, IReadOnlyList<double[]> points)
        {
            this.dims = dims;
            ranges = dims.Select((d, i) => d.Categorical ? null : new ParzenEstimator(points.Select(p => p[i]).ToList(), d.Low, d.High, PriorWeight)).ToArray();
            categorical = dims.Select((d, i) => d.Categorical
                ? Enumerable.Range(0, d.Choices.Count).Select(c => (points.Count(p => p[i] == c) + PriorWeight / d.Choices.Count) / (points.Count + PriorWeight)).ToArray()
                : []).ToArray();
        }

        public double[] Sample(Random random) =>
            dims.Select((d, i) => d.Categorical ? Pick(categorical[i], random) : ranges[i]!.Sample(random)).ToArray();

        public double LogDensity(double[] x) =>
            dims.Select((d, i) => d.Categorical ? Math.Log(categorical[i][(int)x[i]]) : ranges[i]!.LogDensity(x[i])).Sum();
    }

    /// <summary>
    /// Multivariate TPE: a mixture of one kernel per point over all parameters (truncated normals for ranges,
    /// Scott's bandwidth 0.2 n^(-1/(d+4)) of the range; for choices the point's own choice weighted 1 against the
    /// prior's 1/k each), plus a flat prior kernel.
    /// </summary>
    private sealed class JointDensity : IDensity
    {
        private readonly IReadOnlyList<Dimension> dims;
        private readonly List<double[]> centres;
        private readonly double[] sigmas;
        private readonly double logWeight, logPriorWeight;

        public JointDensity(IReadOnlyList<Dimension> dims, IReadOnlyList<double[]> points)
        {
            this.dims = dims;
            centres = points.ToList();
            int n = Math.Max(points.Count, 1);
            double scott = 0.2 * Math.Pow(n, -1.0 / (dims.Count + 4));
            sigmas = dims.Select(d => Math.Max(scott, 1.0 / Math.Min(100.0, 1.0 + points.Count)) * (d.High - d.Low)).ToArray();
            double total = points.Count + PriorWeight;
            logWeight = Math.Log(1 / total);
            logPriorWeight = Math.Log(PriorWeight / total);
        }

        public double[] Sample(Random random)
        {
            int k = random.Next(centres.Count + 1);
            if (k == centres.Count) return dims.Select(d => PriorSample(d, random)).ToArray();
            var c = centres[k];
            return dims.Select((d, i) => d.Categorical ? CategoricalSample(d, (int)c[i], random) : Truncated(c[i], sigmas[i], d.Low, d.High, random)).ToArray();
        }

        public double LogDensity(double[] x)
        {
            var terms = new List<double>(centres.Count + 1);
            double prior = logPriorWeight;
            for (int i = 0; i < dims.Count; i++)
                prior += dims[i].Categorical ? -Math.Log(dims[i].Choices.Count) : -Math.Log(dims[i].High - dims[i].Low);
            terms.Add(prior);
            foreach (var c in centres)
            {
                double t = logWeight;
                for (int i = 0; i < dims.Count; i++)
                {
                    var d = dims[i];
                    t += d.Categorical ? CategoricalLog(d, (int)c[i], (int)x[i]) : TruncatedLog(x[i], c[i], sigmas[i], d.Low, d.High);
                }
                terms.Add(t);
            }
            double max = terms.Max();
            return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
        }

        private static double PriorSample(Dimension d, Random random) =>
            d.Categorical ? random.Next(d.Choices.Count) : d.Low + random.NextDouble() * (d.High - d.Low);

        // The point's own choice weighs 1, every choice the prior's 1/k on top.
        private static double CategoricalLog(Dimension d, int own, int x) =>
            Math.Log(((own == x ? 1 : 0) + PriorWeight / d.Choices.Count) / (1 + PriorWeight));

        private static double CategoricalSample(Dimension d, int own, Random random) =>
            random.NextDouble() < 1 / (1 + PriorWeight) ? own : random.Next(d.Choices.Count);

        private static double Truncated(double mu, double sigma, double low, double high, Random random)
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                double x = mu + sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                if (x >= low && x <= high) return x;
            }
            return mu;
        }

        private static double TruncatedLog(double x, double mu, double sigma, double low, double high)
        {
            double z = (x - mu) / sigma;
            double mass = ParzenEstimator.Phi((high - mu) / sigma) - ParzenEstimator.Phi((low - mu) / sigma);
            return -0.5 * z * z - Math.Log(sigma * Math.Sqrt(2 * Math.PI)) - Math.Log(Math.Max(mass, 1e-300));
        }
    }

    private static double Pick(double[] probabilities, Random random)
    {
        double u = random.NextDouble(), sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            sum += probabilities[i];
            if (u < sum) return i;
        }
        return probabilities.Length - 1;
    }
}
