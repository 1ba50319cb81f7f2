using MLPipelines.Core.Imaging;
using MLPipelines.Reporting.Imaging;

namespace MLPipelines.Reporting.Figures;

/// <summary>
/// Figure 8: each first-layer filter beside the first training digit filtered by it with <see cref="Filter2D"/>
/// (what the assignment did with OpenCV's filter2D), two pairs to a row. Each picture uses its own grey range.
/// </summary>
public static class FilterEffectsFigure
{
    public static ImageGrid Grid => new() { Title = "First-layer filters applied to the first training digit (filter2D)", Columns = 4, CellSize = 120 };

    /// <returns>The filtered images, in filter order.</returns>
    public static IReadOnlyList<GrayImage> Save(string path, GrayImage digit, IReadOnlyList<float[,]> filters)
    {
        var filtered = filters.Select(f => Filter2D.Apply(digit, f)).ToList();
        var cells = new List<GridCell>();
        for (int i = 0; i < filters.Count; i++)
        {
            var filter = GrayImage.FromMatrix(filters[i]);
            cells.Add(new GridCell(filter, $"Filter {i}", Scale: GrayScale.Of(filter)));
            cells.Add(new GridCell(filtered[i], $"Filtered by {i}", Scale: GrayScale.Of(filtered[i])));
        }
        Grid.Save(path, cells);
        return filtered;
    }
}
