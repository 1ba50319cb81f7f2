using MLPipelines.Core.Imaging;
using System.Globalization;
using MLPipelines.Reporting.Imaging;
using SkiaSharp;

namespace MLPipelines.Reporting.Figures;

/// <summary>A person's digit as shown in figure 6: the picture as drawn or photographed and the 28x28 input it became.</summary>
public sealed record HandwrittenDigit(GrayImage Original, GrayImage? Prepared, string Label, string Prediction, double Probability)
{
    public bool IsMiss => Prediction != Label;
}

/// <summary>
/// Figure 6: people's handwritten digits, one row of pictures per set, the prediction and its probability over
/// each (misses in red, framed), the network's 28x28 input in the corner, and the score per set and overall.
/// </summary>
public static class HandwrittenFigure
{
    public const int CellSize = 110;

    public static ImageGrid GridFor(string set, IReadOnlyList<HandwrittenDigit> digits) => new()
    {
        Title = $"{set}: {digits.Count(d => !d.IsMiss)} of {digits.Count} right",
        Columns = Math.Clamp(digits.Count, 1, 10),
        CellSize = CellSize,
    };

    public static string Footer(IReadOnlyList<(string Set, IReadOnlyList<HandwrittenDigit> Digits)> sets)
    {
        int right = sets.Sum(s => s.Digits.Count(d => !d.IsMiss)), count = sets.Sum(s => s.Digits.Count);
        return string.Create(CultureInfo.InvariantCulture,
            $"Score: {right} of {count} ({(double)right / count:0%}); caption: prediction (probability), corner: the network's 28x28 input");
    }

    public static void Save(string path, IReadOnlyList<(string Set, IReadOnlyList<HandwrittenDigit> Digits)> sets)
    {
        if (sets.Count == 0 || sets.Any(s => s.Digits.Count == 0)) throw new ArgumentException("figure 6 needs at least one set of digits, none empty");
        var parts = new List<SKBitmap>();
        try
        {
            foreach (var (set, digits) in sets)
                parts.Add(GridFor(set, digits).Render(digits.Select(d => new GridCell(d.Original,
                    d.IsMiss ? string.Create(CultureInfo.InvariantCulture, $"{d.Prediction} ({d.Probability:0%}) is {d.Label}")
                             : string.Create(CultureInfo.InvariantCulture, $"{d.Prediction} ({d.Probability:0%})"),
                    d.IsMiss, Inset: d.Prepared)).ToList()));
            using var figure = VerticalStack.Compose("People's handwritten digits and the network's predictions", parts, Footer(sets));
            FigureStyle.SavePng(figure, path);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }
}
