using System.Buffers;

namespace MLPipelines.Core.Imaging;

/// <summary>
/// Turns a photo or drawing into bright ink on a black background, the way MNIST's digits are: inverts when
/// the background (judged from the border) is light, then stretches contrast so the paper goes to 0 and
/// the ink to 255. The split between ink and paper is Otsu's threshold, which adapts to grey paper, a
/// white margin around it, or an already clean image.
/// </summary>
public static class InkNormalizer
{
    public static GrayImage BrightInkOnBlack(GrayImage gray)
    {
        bool lightBackground = BorderMedian(gray) > 127;
        // The output holds the inverted values first and is stretched in place at the end.
        var output = new GrayImage(gray.Width, gray.Height);
        var v = output.Pixels;
        for (int i = 0; i < v.Length; i++) v[i] = lightBackground ? 255f - gray.Pixels[i] : gray.Pixels[i];

        float threshold = Otsu(v);
        // Paper values from the front of one pooled buffer, ink values from the back: no per-image arrays.
        float[] buffer = ArrayPool<float>.Shared.Rent(v.Length);
        try
        {
            int paperCount = 0, inkStart = v.Length;
            foreach (float p in v)
            {
                if (p <= threshold) buffer[paperCount++] = p;
                else buffer[--inkStart] = p;
            }
            if (inkStart == v.Length || paperCount == 0) throw new InvalidImageException("no ink found: the image is blank");
            float background = SelectInPlace(buffer.AsSpan(0, paperCount), 0.5f);
            float full = SelectInPlace(buffer.AsSpan(inkStart, v.Length - inkStart), 0.9f);
            if (full - background < 24f) throw new InvalidImageException("no ink found: too little contrast between strokes and background");

            float scale = 255f / (full - background);
            for (int i = 0; i < v.Length; i++) v[i] = Math.Clamp((v[i] - background) * scale, 0f, 255f);
            return output;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    public static float BorderMedian(GrayImage g)
    {
        var border = new List<float>(2 * (g.Width + g.Height));
        for (int x = 0; x < g.Width; x++)
        {
            border.Add(g[x, 0]);
            border.Add(g[x, g.Height - 1]);
        }
        for (int y = 1; y < g.Height - 1; y++)
        {
            border.Add(g[0, y]);
            border.Add(g[g.Width - 1, y]);
        }
        return Percentile(border.ToArray(), 0.5f);
    }

    /// <summary>Otsu's threshold over a 256-bin histogram: the level that best separates two classes.</summary>
    public static float Otsu(float[] values)
    {
        var histogram = new double[256];
        foreach (float v in values) histogram[(int)Math.Clamp(v, 0, 255)]++;
        double total = values.Length, sumAll = 0;
        for (int i = 0; i < 256; i++) sumAll += i * histogram[i];
        double weightBack = 0, sumBack = 0, best = -1;
        int bestLevel = 127;
        for (int t = 0; t < 256; t++)
        {
            weightBack += histogram[t];
            if (weightBack == 0) continue;
            double weightFore = total - weightBack;
            if (weightFore == 0) break;
            sumBack += t * histogram[t];
            double meanBack = sumBack / weightBack, meanFore = (sumAll - sumBack) / weightFore;
            double between = weightBack * weightFore * (meanBack - meanFore) * (meanBack - meanFore);
            if (between > best)
            {
                best = between;
                bestLevel = t;
            }
        }
        return bestLevel + 0.5f;
    }

    /// <summary>The value at rank <c>(int)(q * (n - 1))</c> of the sorted values; <paramref name="values"/> is left as it was.</summary>
    public static float Percentile(float[] values, float q) => SelectInPlace((float[])values.Clone(), q);

    /// <summary>
    /// <see cref="Percentile"/> without the copy: reorders <paramref name="values"/>. Quickselect with three-way
    /// partitioning (a photo's paper is many equal values), expected O(n) instead of sorting's O(n log n); it
    /// gives exactly the element a full sort would put at that rank.
    /// </summary>
    public static float SelectInPlace(float[] values, float q) => SelectInPlace(values.AsSpan(), q);

    public static float SelectInPlace(Span<float> a, float q)
    {
        int k = Math.Clamp((int)(q * (a.Length - 1)), 0, a.Length - 1);
        int lo = 0, hi = a.Length - 1;
        while (lo < hi)
        {
            float x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
            float pivot = Math.Max(Math.Min(x, y), Math.Min(Math.Max(x, y), z));
            // a[lo..lt) < pivot, a[lt..i) == pivot, a(gt..hi] > pivot
            int lt = lo, i = lo, gt = hi;
            while (i <= gt)
            {
                float e = a[i];
                if (e < pivot)
                {
                    a[i++] = a[lt];
                    a[lt++] = e;
                }
                else if (e > pivot)
                {
                    a[i] = a[gt];
                    a[gt--] = e;
                }
                else
                {
                    i++;
                }
            }
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return pivot;
        }
        return a[k];
    }
}
