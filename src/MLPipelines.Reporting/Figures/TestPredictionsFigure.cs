using MLPipelines.Reporting.Imaging;

namespace MLPipelines.Reporting.Figures;

/// <summary>Figure 4: the first test digits (3x3) with the network's prediction above each; a miss is red and framed.</summary>
public static class TestPredictionsFigure
{
    public static ImageGrid GridFor(IReadOnlyList<LabeledDigit> digits) => new()
    {
        Title = "First test digits and the network's predictions",
        Columns = 3,
        CellSize = 140,
        Footer = $"{digits.Count(d => !d.IsMiss)} of {digits.Count} correct",
    };

    public static void Save(string path, IReadOnlyList<LabeledDigit> digits) =>
        GridFor(digits).Save(path, digits.Select(d => new GridCell(d.Image,
            d.IsMiss ? $"Prediction: {d.Prediction} (is {d.Label})" : $"Prediction: {d.Prediction}", d.IsMiss)).ToList());
}
