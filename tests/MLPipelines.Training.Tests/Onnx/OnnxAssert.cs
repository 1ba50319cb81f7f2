namespace MLPipelines.Training.Tests.Onnx;

/// <summary>Comparisons of ONNX Runtime's outputs with TorchSharp's.</summary>
public static class OnnxAssert
{
    /// <summary>Log-probabilities may differ by float rounding only (different summation orders).</summary>
    public const double Tolerance = 1e-4;

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.AreEqual(a.Length, b.Length, "element counts");
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs((double)a[i] - b[i]);
            if (double.IsNaN(d)) return double.PositiveInfinity;
            max = Math.Max(max, d);
        }
        return max;
    }

    /// <summary>Asserts and prints the largest difference (the figure the export is judged by).</summary>
    public static double Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        double max = MaxAbsDifference(expected, actual);
        Console.WriteLine($"{what}: max |ONNX - TorchSharp| = {max:E2} over {expected.Length:N0} values");
        Assert.IsTrue(max <= Tolerance, $"{what}: max abs difference {max:E3} exceeds {Tolerance:E0}");
        return max;
    }
}
