namespace MLPipelines.Sweeps.Tuners;

/// <summary>
/// One parameter's density in TPE: a mixture of normals truncated to [Low, High], one at each observation plus a
/// wide prior at the middle (Bergstra et al. 2011; Optuna's bandwidths: the larger distance to a neighbour,
/// clipped to [(High - Low) / min(100, 1 + n), High - Low]). Values are on the parameter's own scale already
/// (log for log ranges).
/// </summary>
public sealed class ParzenEstimator
{
    private readonly double low, high;
    private readonly double[] mus, sigmas, weights, logMass;

    public ParzenEstimator(IReadOnlyList<double> observations, double low, double high, double priorWeight = 1.0)
    {
        if (!(high > low)) throw new ArgumentException($"empty interval [{low}, {high}]");
        this.low = low;
        this.high = high;
        double range = high - low;
        var points = observations.Select(v => (Mu: Math.Clamp(v, low, high), Weight: 1.0, Prior: false))
            .Append((Mu: (low + high) / 2, Weight: priorWeight, Prior: true)).OrderBy(p => p.Mu).ToArray();
        int n = points.Length;
        mus = points.Select(p => p.Mu).ToArray();
        weights = points.Select(p => p.Weight / points.Sum(q => q.Weight)).ToArray();
        sigmas = new double[n];
        double minSigma = range / Math.Min(100.0, 1.0 + observations.Count);
        for (int i = 0; i < n; i++)
        {
            double left = mus[i] - (i == 0 ? low : mus[i - 1]);
            double right = (i == n - 1 ? high : mus[i + 1]) - mus[i];
            sigmas[i] = Math.Clamp(Math.Max(left, right), minSigma, range);
        }
        // The prior keeps the whole interval in reach.
        sigmas[Array.FindIndex(points, p => p.Prior)] = range;
        logMass = Enumerable.Range(0, n).Select(i =>
            Math.Log(Math.Max(Phi((high - mus[i]) / sigmas[i]) - Phi((low - mus[i]) / sigmas[i]), 1e-300))).ToArray();
    }

    public double Sample(Random random)
    {
        double u = random.NextDouble(), sum = 0;
        int k = weights.Length - 1;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            if (u < sum) { k = i; break; }
        }
        for (int attempt = 0; attempt < 100; attempt++)
        {
            double x = mus[k] + sigmas[k] * Gaussian(random);
            if (x >= low && x <= high) return x;
        }
        return Math.Clamp(mus[k], low, high);
    }

    public double LogDensity(double x)
    {
        // log sum_i w_i N(x; mu_i, s_i) / Z_i, summed stably.
        var terms = new double[mus.Length];
        for (int i = 0; i < mus.Length; i++)
        {
            double z = (x - mus[i]) / sigmas[i];
            terms[i] = Math.Log(weights[i]) - 0.5 * z * z - Math.Log(sigmas[i] * Math.Sqrt(2 * Math.PI)) - logMass[i];
        }
        double max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The standard normal CDF (Abramowitz and Stegun 7.1.26: error below 1.5e-7).</summary>
    public static double Phi(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
