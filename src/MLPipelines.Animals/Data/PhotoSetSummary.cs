using System.Globalization;
using System.Text;

namespace MLPipelines.Animals.Data;

/// <summary>Text about a photo set: classes and counts, sources per class, image sizes, files left out.</summary>
public static class PhotoSetSummary
{
    public static string Describe(PhotoSet set, IReadOnlyList<Split>? splits = null)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"{set.Name}: {set.Photos.Count} photos in {set.ClassNames.Count} classes ({LayoutText(set.Layout)}), {set.Root}\n");
        var counts = set.CountPerClass();
        int width = Math.Max(8, set.ClassNames.Max(n => n.Length) + 2);
        var sources = set.Sources();
        sb.Append('\n').Append("class".PadRight(width)).Append("photos");
        if (splits is not null) sb.Append("   train    val   test");
        if (sources.Count > 0) sb.Append("   sources");
        sb.Append('\n');
        for (int c = 0; c < set.ClassNames.Count; c++)
        {
            string name = set.ClassNames[c] == set.ClassFolders[c] ? set.ClassNames[c] : $"{set.ClassNames[c]} ({set.ClassFolders[c]})";
            sb.Append(name.PadRight(width)).Append(counts[c].ToString(inv).PadLeft(6));
            if (splits is not null)
                foreach (var s in new[] { Split.Train, Split.Validation, Split.Test })
                    sb.Append(Enumerable.Range(0, set.Photos.Count).Count(i => set.Photos[i].Label == c && splits[i] == s).ToString(inv).PadLeft(s == Split.Train ? 8 : 7));
            if (sources.Count > 0)
                sb.Append("   ").Append(string.Join(' ', set.Photos.Where(p => p.Label == c).GroupBy(p => p.Source.Length > 0 ? p.Source : "-")
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}")));
            sb.Append('\n');
        }
        sb.Append('\n').Append(SizeText(set.Photos));
        if (set.Skipped.Count > 0)
        {
            sb.Append(inv, $"\nskipped {set.Skipped.Count} file(s) that are not photos:\n");
            foreach (var s in set.Skipped) sb.Append(inv, $"  {Path.GetRelativePath(set.Root, s.Path)}: {s.Reason}\n");
        }
        return sb.ToString();
    }

    /// <summary>Width, height, pixels and aspect ratio: minimum, quartiles, maximum; and the commonest sizes.</summary>
    public static string SizeText(IReadOnlyList<Photo> photos)
    {
        if (photos.Count == 0) return "no photos\n";
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("image sizes      min     25%  median     75%     max\n");
        void Row(string name, IEnumerable<double> values, string format)
        {
            var v = values.Order().ToArray();
            double Q(double q) => v[(int)Math.Round(q * (v.Length - 1))];
            sb.Append(name.PadRight(12));
            foreach (double x in new[] { v[0], Q(0.25), Q(0.5), Q(0.75), v[^1] }) sb.Append(x.ToString(format, inv).PadLeft(8));
            sb.Append('\n');
        }
        Row("width", photos.Select(p => (double)p.Width), "F0");
        Row("height", photos.Select(p => (double)p.Height), "F0");
        Row("megapixels", photos.Select(p => p.Width * (double)p.Height / 1e6), "F2");
        Row("aspect w/h", photos.Select(p => (double)p.Width / p.Height), "F2");
        int small = photos.Count(p => Math.Min(p.Width, p.Height) < Features.ResNet18Files.ImageSize);
        sb.Append(inv, $"smaller than {Features.ResNet18Files.ImageSize} px on the short side (upscaled): {small}\n");
        sb.Append("commonest sizes: ").Append(string.Join(", ", photos.GroupBy(p => (p.Width, p.Height)).OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key).Take(5).Select(g => $"{g.Key.Width}x{g.Key.Height} ({g.Count()})"))).Append('\n');
        return sb.ToString();
    }

    private static string LayoutText(PhotoSetLayout layout) => layout switch
    {
        PhotoSetLayout.GivenSplit => "its own train/val split",
        PhotoSetLayout.Animals10 => "Kaggle Animals-10 layout, English names",
        _ => "folder per class",
    };
}
