namespace MLPipelines.Prediction.Imaging;

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
        int w = image.Width, h = image.Height;
        var label = new int[w * h];
        var areas = new List<int> { 0 };
        var stack = new Stack<int>();
        for (int start = 0; start < label.Length; start++)
        {
            if (label[start] != 0 || image.Pixels[start] <= level) continue;
            int id = areas.Count, area = 0;
            label[start] = id;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int p = stack.Pop();
                area++;
                int px = p % w, py = p / w;
                for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                {
                    int nx = px + dx, ny = py + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                    int n = ny * w + nx;
                    if (label[n] != 0 || image.Pixels[n] <= level) continue;
                    label[n] = id;
                    stack.Push(n);
                }
            }
            areas.Add(area);
        }
        if (areas.Count == 1) throw new InvalidImageException("no ink found: the image is blank");

        int largest = areas.Max();
        var keepId = areas.Select(a => a >= minFraction * largest && a > 0).ToArray();
        // Keep faint pixels next to kept strokes too (anti-aliased edges): grow the mask by one pixel.
        var core = new bool[w * h];
        for (int i = 0; i < core.Length; i++) core[i] = label[i] != 0 && keepId[label[i]];
        var mask = new bool[w * h];
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            bool near = false;
            for (int dy = -1; dy <= 1 && !near; dy++)
            for (int dx = -1; dx <= 1 && !near; dx++)
            {
                int nx = x + dx, ny = y + dy;
                near = nx >= 0 && ny >= 0 && nx < w && ny < h && core[ny * w + nx];
            }
            if (!near || image[x, y] <= 0) continue;
            mask[y * w + x] = true;
            if (!core[y * w + x]) continue;
            x0 = Math.Min(x0, x);
            y0 = Math.Min(y0, y);
            x1 = Math.Max(x1, x);
            y1 = Math.Max(y1, y);
        }
        return new InkComponents(mask, (x0, y0, x1, y1));
    }
}
