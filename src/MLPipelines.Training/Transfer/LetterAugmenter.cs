using MLPipelines.Core.Imaging;

namespace MLPipelines.Training.Transfer;

/// <summary>
/// Makes more training letters from few: each copy is the prepared 28x28 letter turned, scaled, sheared and
/// moved a little about the centre (bilinear resampling), as another hand would draw it. Seeded: the same
/// seed gives the same copies.
/// </summary>
public sealed class LetterAugmenter(int seed)
{
    public const double MaxRotationDegrees = 15;
    public const double MaxScaleChange = 0.12;
    public const double MaxShear = 0.2;
    public const double MaxShift = 2;

    private readonly Random random = new(seed);

    /// <summary>The original followed by <paramref name="copies"/> random variants of each image, labels alongside.</summary>
    public (List<GrayImage> Images, List<int> Labels) Expand(IReadOnlyList<GrayImage> images, IReadOnlyList<int> labels, int copies)
    {
        var outImages = new List<GrayImage>(images.Count * (copies + 1));
        var outLabels = new List<int>(outImages.Capacity);
        outImages.AddRange(images);
        outLabels.AddRange(labels);
        for (int c = 0; c < copies; c++)
        for (int i = 0; i < images.Count; i++)
        {
            outImages.Add(Variant(images[i]));
            outLabels.Add(labels[i]);
        }
        return (outImages, outLabels);
    }

    public GrayImage Variant(GrayImage image)
    {
        double angle = Uniform(MaxRotationDegrees) * Math.PI / 180;
        double scale = 1 + Uniform(MaxScaleChange);
        double shear = Uniform(MaxShear);
        double dx = Uniform(MaxShift), dy = Uniform(MaxShift);
        // Forward map: p' = S·R·H·(p - c) + c + d; sampled through its inverse.
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double a = scale * cos, b = scale * (cos * shear - sin), c = scale * sin, d = scale * (sin * shear + cos);
        double det = a * d - b * c;
        double ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
        return Affine(image, ia, ib, ic, id, dx, dy);
    }

    /// <summary>Output pixel p takes the input at M·(p - centre - shift) + centre (M is the inverse of the forward map's matrix).</summary>
    public static GrayImage Affine(GrayImage image, double m00, double m01, double m10, double m11, double dx, double dy)
    {
        int w = image.Width, h = image.Height;
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        var output = new GrayImage(w, h);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            double u = x - cx - dx, v = y - cy - dy;
            output[x, y] = Bilinear(image, m00 * u + m01 * v + cx, m10 * u + m11 * v + cy);
        }
        return output;
    }

    private static float Bilinear(GrayImage image, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        double v = (1 - fx) * (1 - fy) * At(image, x0, y0) + fx * (1 - fy) * At(image, x0 + 1, y0)
            + (1 - fx) * fy * At(image, x0, y0 + 1) + fx * fy * At(image, x0 + 1, y0 + 1);
        return (float)v;
    }

    // Outside the image is background (black).
    private static float At(GrayImage image, int x, int y) =>
        x < 0 || y < 0 || x >= image.Width || y >= image.Height ? 0f : image[x, y];

    private double Uniform(double max) => (random.NextDouble() * 2 - 1) * max;
}
