using System.Buffers;

namespace MLPipelines.Core.Imaging;

/// <summary>
/// The connected ink regions (8-connectivity) of an image that matter: those at least a fraction of the
/// largest region's area. Returns their mask and bounding box.
/// </summary>
public sealed class InkComponents
{
    private InkComponents(bool[] mask, (int X0, int Y0, int X1, int Y1) bounds)
    {
        Mask = mask;
        Bounds = bounds;
    }

    public bool[] Mask { get; }
    public (int X0, int Y0, int X1, int Y1) Bounds { get; }

    public static InkComponents Significant(GrayImage image, float level, double minFraction)
    {
        int w = image.Width, h = image.Height, n = w * h;
        // Per-image work arrays come from the shared pool: a photo's are megabytes each, and allocating them
        // for every image keeps the garbage collector busy.
        int[] labels = ArrayPool<int>.Shared.Rent(n), stackArray = ArrayPool<int>.Shared.Rent(n);
        bool[] coreArray = ArrayPool<bool>.Shared.Rent(n), rowsArray = ArrayPool<bool>.Shared.Rent(n);
        try
        {
            return Find(image, level, minFraction, labels.AsSpan(0, n), stackArray, coreArray.AsSpan(0, n), rowsArray.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(labels);
            ArrayPool<int>.Shared.Return(stackArray);
            ArrayPool<bool>.Shared.Return(coreArray);
            ArrayPool<bool>.Shared.Return(rowsArray);
        }
    }

    private static InkComponents Find(GrayImage image, float level, double minFraction, Span<int> label, Span<int> stack, Span<bool> core, Span<bool> alongRows)
    {
        int w = image.Width, h = image.Height;
        var pixels = image.Pixels;
        label.Clear();
        var areas = new List<int> { 0 };
        // Region ids follow the raster order of each region's first pixel, so the fill order does not matter:
        // an array used as a stack is the cheapest.
        for (int start = 0; start < label.Length; start++)
        {
            if (label[start] != 0 || pixels[start] <= level) continue;
            int id = areas.Count, area = 0, top = 0;
            label[start] = id;
            stack[top++] = start;
            while (top > 0)
            {
                int p = stack[--top];
                area++;
                int px = p % w, py = p / w;
                int x0 = Math.Max(px - 1, 0), x1 = Math.Min(px + 1, w - 1), y0 = Math.Max(py - 1, 0), y1 = Math.Min(py + 1, h - 1);
                for (int ny = y0; ny <= y1; ny++)
                for (int n = ny * w + x0, end = ny * w + x1; n <= end; n++)
                {
                    if (label[n] != 0 || pixels[n] <= level) continue;
                    label[n] = id;
                    stack[top++] = n;
                }
            }
            areas.Add(area);
        }
        if (areas.Count == 1) throw new InvalidImageException("no ink found: the image is blank");

        int largest = areas.Max();
        var keepId = areas.Select(a => a >= minFraction * largest && a > 0).ToArray();
        // Keep faint pixels next to kept strokes too (anti-aliased edges): grow the mask by one pixel, as a
        // 3x3 OR done in two passes (along rows, then columns).
        for (int i = 0; i < core.Length; i++) core[i] = label[i] != 0 && keepId[label[i]];
        for (int y = 0, row = 0; y < h; y++, row += w)
        for (int x = 0; x < w; x++)
            alongRows[row + x] = core[row + x] || (x > 0 && core[row + x - 1]) || (x < w - 1 && core[row + x + 1]);
        var mask = new bool[w * h];
        int bx0 = w, by0 = h, bx1 = -1, by1 = -1;
        for (int y = 0, row = 0; y < h; y++, row += w)
        for (int x = 0; x < w; x++)
        {
            int i = row + x;
            bool near = alongRows[i] || (y > 0 && alongRows[i - w]) || (y < h - 1 && alongRows[i + w]);
            if (!near || pixels[i] <= 0) continue;
            mask[i] = true;
            if (!core[i]) continue;
            bx0 = Math.Min(bx0, x);
            by0 = Math.Min(by0, y);
            bx1 = Math.Max(bx1, x);
            by1 = Math.Max(by1, y);
        }
        return new InkComponents(mask, (bx0, by0, bx1, by1));
    }
}
