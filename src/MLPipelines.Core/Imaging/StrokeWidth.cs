namespace MLPipelines.Core.Imaging;

/// <summary>
/// MNIST's strokes are about 2 to 3 pixels wide in the 28x28 field. A pen line on a phone photo shrinks to a
/// fraction of a pixel when the digit is scaled to 20x20, and the network has never seen such faint,
/// thin digits. This estimates the stroke width (ink area over half the ink's outline) and thickens
/// the strokes with a max filter so they come out at the target width after scaling.
/// </summary>
public static class StrokeWidth
{
    public static double Estimate(GrayImage ink, float level)
    {
        int w = ink.Width, h = ink.Height, area = 0, edge = 0;
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            if (ink[x, y] <= level) continue;
            area++;
            bool boundary = x == 0 || y == 0 || x == w - 1 || y == h - 1
                || ink[x - 1, y] <= level || ink[x + 1, y] <= level || ink[x, y - 1] <= level || ink[x, y + 1] <= level;
            if (boundary) edge++;
        }
        return edge == 0 ? 0 : 2.0 * area / edge;
    }

    /// <summary>Thickens strokes so that after scaling by <paramref name="scale"/> they are about <paramref name="targetWidth"/> pixels wide.</summary>
    public static GrayImage Normalize(GrayImage ink, float level, double scale, double targetWidth = 2.2)
    {
        double width = Estimate(ink, level);
        int radius = (int)Math.Round((targetWidth / scale - width) / 2);
        return radius <= 0 ? ink : Dilate(ink, radius);
    }

    /// <summary>
    /// Max filter with a (2r+1)-square window (clipped at the edges; never below 0), separable: rows then
    /// columns, each a sliding-window maximum that costs the same for any radius.
    /// </summary>
    public static GrayImage Dilate(GrayImage image, int radius)
    {
        int w = image.Width, h = image.Height;
        var rows = new GrayImage(w, h);
        var output = new GrayImage(w, h);
        var window = new int[Math.Max(w, h)];
        for (int y = 0; y < h; y++) SlidingMax(image.Pixels, rows.Pixels, y * w, 1, w, radius, window);
        for (int x = 0; x < w; x++) SlidingMax(rows.Pixels, output.Pixels, x, w, h, radius, window);
        return output;
    }

    /// <summary>
    /// target[i] = max(0, source[j] for j within radius of i) along one line of <paramref name="count"/> pixels
    /// starting at <paramref name="start"/>, <paramref name="stride"/> apart. A queue of positions whose values
    /// decrease holds the candidates for the maximum of the window.
    /// </summary>
    private static void SlidingMax(float[] source, float[] target, int start, int stride, int count, int radius, int[] queue)
    {
        int head = 0, tail = 0, next = 0;
        for (int i = 0; i < count; i++)
        {
            for (int last = Math.Min(i + radius, count - 1); next <= last; next++)
            {
                float v = source[start + next * stride];
                while (tail > head && source[start + queue[tail - 1] * stride] <= v) tail--;
                queue[tail++] = next;
            }
            while (queue[head] < i - radius) head++;
            target[start + i * stride] = Math.Max(0f, source[start + queue[head] * stride]);
        }
    }
}
