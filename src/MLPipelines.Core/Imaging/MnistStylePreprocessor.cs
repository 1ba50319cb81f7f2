namespace MLPipelines.Core.Imaging;

/// <summary>
/// Makes a 28x28 MNIST-style digit from a person's photo or drawing, as MNIST itself was made: bright ink
/// on black (<see cref="InkNormalizer"/>), cropped to the ink, scaled to fit a 20x20 box keeping its
/// aspect ratio (strokes thickened to MNIST's width first, see <see cref="StrokeWidth"/>), and placed in the 28x28 field so that its centre of mass is at the centre.
/// Specks far smaller than the strokes (dust, paper texture) are ignored when finding the ink's extent.
/// </summary>
public sealed class MnistStylePreprocessor : IImagePreprocessor
{
    public const int Size = 28;
    public const int Box = 20;
    private const float InkLevel = 64f;
    private const double SpeckFraction = 0.05;

    public string Name => "mnist-style";

    public GrayImage Process(GrayImage gray)
    {
        var ink = InkNormalizer.BrightInkOnBlack(gray);
        var keep = InkComponents.Significant(ink, InkLevel, SpeckFraction);
        var (x0, y0, x1, y1) = keep.Bounds;
        var cropped = new GrayImage(x1 - x0 + 1, y1 - y0 + 1);
        for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            cropped[x - x0, y - y0] = keep.Mask[y * ink.Width + x] ? ink[x, y] : 0f;

        double scale = (double)Box / Math.Max(cropped.Width, cropped.Height);
        cropped = StrokeWidth.Normalize(cropped, InkLevel, scale);
        int w = Math.Max(1, (int)Math.Round(cropped.Width * scale));
        int h = Math.Max(1, (int)Math.Round(cropped.Height * scale));
        var digit = GrayResize.Resize(cropped, w, h);
        return CenterByMass(digit);
    }

    /// <summary>Places the digit in a 28x28 field with its centre of mass at (14, 14), staying inside the field.</summary>
    public static GrayImage CenterByMass(GrayImage digit)
    {
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < digit.Height; y++)
        for (int x = 0; x < digit.Width; x++)
        {
            double v = digit[x, y];
            mass += v;
            mx += v * (x + 0.5);
            my += v * (y + 0.5);
        }
        double cx = mass > 0 ? mx / mass : digit.Width / 2.0, cy = mass > 0 ? my / mass : digit.Height / 2.0;
        int left = Math.Clamp((int)Math.Round(Size / 2.0 - cx), 0, Size - digit.Width);
        int top = Math.Clamp((int)Math.Round(Size / 2.0 - cy), 0, Size - digit.Height);
        var field = new GrayImage(Size, Size);
        for (int y = 0; y < digit.Height; y++)
        for (int x = 0; x < digit.Width; x++)
            field[left + x, top + y] = digit[x, y];
        return field;
    }
}
