using MLPipelines.Core.Datasets;
using MLPipelines.Core.Imaging;
using SkiaSharp;

namespace MLPipelines.Sweeps.Auto;

/// <summary>What a folder of images looks like, from a sample: how large and how colourful its pictures are.</summary>
public sealed record DatasetProfile(int Sampled, int MedianSide, double MeanChroma)
{
    /// <summary>Mean chroma (max - min of R, G, B, 0..255) below which pictures are taken for ink on paper.</summary>
    public const double GlyphChroma = 20;
    /// <summary>Above this they are taken for photos; between the two the data is ambiguous.</summary>
    public const double PhotoChroma = 40;

    /// <summary>Grayscale-looking pictures (digits, letters, symbols on paper): the digit network's transfer fits them.</summary>
    public bool GlyphLike => MeanChroma <= GlyphChroma;
    public bool PhotoLike => MeanChroma >= PhotoChroma;

    /// <summary>Profiles up to <paramref name="sample"/> images spread evenly over the set (unreadable ones are skipped).</summary>
    public static DatasetProfile Of(ImageFolderSet set, int sample = 64)
    {
        var sides = new List<int>();
        double chroma = 0;
        int step = Math.Max(1, set.Count / sample);
        for (int i = 0; i < set.Count && sides.Count < sample; i += step)
        {
            try
            {
                using var bitmap = ImageDecoder.Decode(set.Files[i].Path);
                sides.Add(Math.Max(bitmap.Width, bitmap.Height));
                chroma += Chroma(bitmap);
            }
            catch (InvalidImageException)
            {
            }
        }
        if (sides.Count == 0) throw new ImageFolderException($"{set.Root}: none of the sampled images can be read");
        sides.Sort();
        return new DatasetProfile(sides.Count, sides[sides.Count / 2], chroma / sides.Count);
    }

    /// <summary>Mean of max(R, G, B) - min(R, G, B) over opaque pixels, on a grid of at most 64x64 of them.</summary>
    private static double Chroma(SKBitmap bitmap)
    {
        int stepX = Math.Max(1, bitmap.Width / 64), stepY = Math.Max(1, bitmap.Height / 64);
        double sum = 0;
        int n = 0;
        for (int y = 0; y < bitmap.Height; y += stepY)
        for (int x = 0; x < bitmap.Width; x += stepX)
        {
            var c = bitmap.GetPixel(x, y);
            if (c.Alpha < 128) continue;
            sum += Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue));
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }
}
