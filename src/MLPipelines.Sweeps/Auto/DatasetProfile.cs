using MLPipelines.Core.Datasets;
using MLPipelines.Core.Imaging;
using SkiaSharp;

namespace MLPipelines.Sweeps.Auto;

/// <summary>
/// What a folder of images looks like, from a sample: how large and how colourful its pictures are, and how much of
/// each picture is plain background (<see cref="MeanPlain"/>: ink on paper is mostly paper; a photo, even a grey one,
/// is not).
/// </summary>
public sealed record DatasetProfile(int Sampled, int MedianSide, double MeanChroma, double MeanPlain)
{
    /// <summary>Mean chroma (max - min of R, G, B, 0..255) below which pictures are taken for ink on paper.</summary>
    public const double GlyphChroma = 20;
    /// <summary>Above this they are taken for photos; between the two the data is ambiguous.</summary>
    public const double PhotoChroma = 40;

    /// <summary>Mean fraction of a picture's pixels within 32 levels of its median grey, above which pictures are taken for ink on paper.</summary>
    public const double GlyphPlain = 0.6;
    /// <summary>Below this they are taken for photos.</summary>
    public const double PhotoPlain = 0.4;

    /// <summary>Grayscale pictures that are mostly background (digits, letters, symbols on paper): the digit network's transfer fits them.</summary>
    public bool GlyphLike => MeanChroma <= GlyphChroma && MeanPlain >= GlyphPlain;
    /// <summary>Colourful, or grey but busy (a grey photo): ResNet18 features fit them.</summary>
    public bool PhotoLike => MeanChroma >= PhotoChroma || MeanPlain <= PhotoPlain;

    /// <summary>The profile in words.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"mean chroma {MeanChroma:F1} of 255, {MeanPlain:P0} plain background, median side {MedianSide} px ({Sampled} images sampled)");

    /// <summary>Profiles up to <paramref name="sample"/> images spread evenly over the set (unreadable ones are skipped).</summary>
    public static DatasetProfile Of(ImageFolderSet set, int sample = 64)
    {
        var sides = new List<int>();
        double chroma = 0, plain = 0;
        int step = Math.Max(1, set.Count / sample);
        for (int i = 0; i < set.Count && sides.Count < sample; i += step)
        {
            try
            {
                using var bitmap = ImageDecoder.Decode(set.Files[i].Path);
                sides.Add(Math.Max(bitmap.Width, bitmap.Height));
                var (c, p) = Measure(bitmap);
                chroma += c;
                plain += p;
            }
            catch (InvalidImageException)
            {
            }
        }
        if (sides.Count == 0) throw new ImageFolderException($"{set.Root}: none of the sampled images can be read");
        sides.Sort();
        return new DatasetProfile(sides.Count, sides[sides.Count / 2], chroma / sides.Count, plain / sides.Count);
    }

    /// <summary>
    /// Over the opaque pixels of a grid of at most 64x64 of them: the mean of max(R, G, B) - min(R, G, B), and the
    /// fraction whose grey is within 32 levels of the median grey (the background's, for a picture mostly background).
    /// </summary>
    private static (double Chroma, double Plain) Measure(SKBitmap bitmap)
    {
        int stepX = Math.Max(1, bitmap.Width / 64), stepY = Math.Max(1, bitmap.Height / 64);
        double sum = 0;
        var greys = new List<int>();
        for (int y = 0; y < bitmap.Height; y += stepY)
        for (int x = 0; x < bitmap.Width; x += stepX)
        {
            var c = bitmap.GetPixel(x, y);
            if (c.Alpha < 128) continue;
            sum += Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue));
            greys.Add((299 * c.Red + 587 * c.Green + 114 * c.Blue) / 1000);
        }
        if (greys.Count == 0) return (0, 1);
        var sorted = greys.Order().ToList();
        int median = sorted[sorted.Count / 2];
        return (sum / greys.Count, greys.Count(g => Math.Abs(g - median) <= 32) / (double)greys.Count);
    }
}
