using OxyPlot;

namespace MLPipelines.Reporting.Figures;

/// <summary>
/// The one colour scale of all filter weights: blue negative, white zero, red positive, symmetric about zero
/// so that equal colours mean equal weights in every filter. The HTML tables use the same colours.
/// </summary>
public static class FilterPalette
{
    public static readonly OxyPalette Palette = OxyPalettes.BlueWhiteRed(201);

    public static OxyColor ColorOf(double value, double limit)
    {
        if (limit <= 0) return Palette.Colors[Palette.Colors.Count / 2];
        double t = Math.Clamp((value + limit) / (2 * limit), 0, 1);
        return Palette.Colors[(int)Math.Round(t * (Palette.Colors.Count - 1))];
    }

    public static string Css(OxyColor c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";
}
