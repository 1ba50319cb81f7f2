using System.Globalization;
using MLPipelines.Reporting.Imaging;

namespace MLPipelines.Reporting.Figures;

/// <summary>Figure 9b: the test digits the network got wrong with the highest confidence, most confident first.</summary>
public static class ConfidentMistakesFigure
{
    public static ImageGrid GridFor(int mistakes, int shown) => new()
    {
        Title = "Most confidently wrong test digits",
        Columns = 6,
        CellSize = 130,
        Footer = shown == 0 ? "no mistakes on the test set" : $"{shown} of {mistakes} mistakes; caption: prediction (true label) and its probability",
    };

    /// <param name="mistakes">All wrong predictions' count, for the footer.</param>
    public static void Save(string path, IReadOnlyList<LabeledDigit> shown, int mistakes)
    {
        if (shown.Count == 0)
            throw new ArgumentException("no mistakes to show");
        GridFor(mistakes, shown.Count).Save(path, shown.Select(d => new GridCell(d.Image,
            string.Create(CultureInfo.InvariantCulture, $"{d.Prediction} (is {d.Label}) {d.Confidence:0.0%}"), Marked: true)).ToList());
    }
}
