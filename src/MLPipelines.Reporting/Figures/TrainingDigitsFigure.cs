using MLPipelines.Reporting.Imaging;

namespace MLPipelines.Reporting.Figures;

/// <summary>Figure 1: the first training digits with their labels, 3 to a row (the assignment shows 6).</summary>
public static class TrainingDigitsFigure
{
    public static ImageGrid Grid => new() { Title = "First training digits and their labels", Columns = 3, CellSize = 140 };

    public static void Save(string path, IReadOnlyList<LabeledDigit> digits) =>
        Grid.Save(path, digits.Select(d => new GridCell(d.Image, $"Label: {d.Label}")).ToList());
}
