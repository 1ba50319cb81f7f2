using MLPipelines.Core.Imaging;
using MLPipelines.Reporting.Figures;
using MLPipelines.Reporting.Imaging;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Tests;

/// <summary>Made-up inputs for the figures: digit-like pictures, filters, curves, a confusion matrix.</summary>
public static class Synthetic
{
    /// <summary>A 28x28 picture of light strokes on black, different for each <paramref name="k"/>: a ring and a bar.</summary>
    public static GrayImage Digit(int k)
    {
        var pixels = new float[28 * 28];
        double radius = 6 + k % 5;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                double d = Math.Sqrt((x - 14) * (x - 14) + (y - 14) * (y - 14));
                if (Math.Abs(d - radius) < 1.5 || (x == 6 + k % 16 && y > 4 && y < 24)) pixels[y * 28 + x] = 255;
            }
        return new GrayImage(28, 28, pixels);
    }

    public static float[,] Filter(int k)
    {
        var f = new float[5, 5];
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 5; c++) f[r, c] = (float)Math.Sin(k + r * 1.3 + c * 0.7) * (0.1f + 0.04f * k);
        return f;
    }

    public static List<LabeledDigit> Digits(int count, Func<int, string?>? prediction = null) =>
        Enumerable.Range(0, count).Select(i => new LabeledDigit(Digit(i), (i % 10).ToString(), prediction?.Invoke(i), 0.9 + i * 0.001)).ToList();

    public static (List<(long, double)> Train, List<(long, double)> Test) Curves()
    {
        var train = Enumerable.Range(0, 300).Select(i => ((long)i * 640, 2.3 * Math.Exp(-i / 40.0) + 0.1 + 0.05 * Math.Sin(i))).ToList();
        var test = Enumerable.Range(0, 4).Select(e => ((long)e * 60_000, 2.3 * Math.Exp(-e * 1.5) + 0.05)).ToList();
        return (train, test);
    }

    public static int[,] Confusion()
    {
        var m = new int[10, 10];
        for (int t = 0; t < 10; t++)
        {
            m[t, t] = 950 + t * 5;
            m[t, (t + 1) % 10] = t;
            m[t, (t + 7) % 10] = 2 * t % 5;
        }
        return m;
    }

    public static NetworkSummaryData Network() => new("DigitNet", "[64, 1, 28, 28]", "[64, 10]",
    [
        new NetworkLayer("conv1", "Conv2d", "[64, 10, 24, 24]", 260, 260),
        new NetworkLayer("conv2", "Conv2d", "[64, 20, 8, 8]", 5020, 5020),
        new NetworkLayer("conv2_drop", "Dropout2d", "[64, 20, 8, 8]", 0, 0),
        new NetworkLayer("fc1", "Linear", "[64, 50]", 16050, 16050),
        new NetworkLayer("fc2", "Linear", "[64, 10]", 510, 510),
    ], 21840, 21840, 0);

    public static FilterWeights Weights() =>
        FilterWeights.From("conv1", Enumerable.Range(0, 10).SelectMany(k => Filter(k).Cast<float>()).ToArray(), 10, 5,
            Enumerable.Range(0, 10).Select(k => k * 0.01f).ToArray());
}
