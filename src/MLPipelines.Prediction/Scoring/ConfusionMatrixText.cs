using System.Globalization;
using System.Text;

namespace MLPipelines.Prediction.Scoring;

/// <summary>A confusion matrix as a plain-text table (rows: true class, columns: predicted): the one layout that every
/// command prints and writes to confusion.txt.</summary>
public static class ConfusionMatrixText
{
    public static string Format(IReadOnlyList<string> classes, int[,] counts) => Format(classes, (r, c) => counts[r, c]);

    public static string Format(IReadOnlyList<string> classes, long[][] counts) => Format(classes, (r, c) => counts[r][c]);

    public static string Format(IReadOnlyList<string> classes, Func<int, int, long> count)
    {
        int k = classes.Count;
        long largest = 0;
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++) largest = Math.Max(largest, count(r, c));
        int longestName = classes.Count == 0 ? 0 : classes.Max(n => n.Length);
        int cell = Math.Max(Math.Max(5, longestName), largest.ToString(CultureInfo.InvariantCulture).Length) + 1;
        int first = Math.Max("true\\pred".Length, longestName) + 1;

        var sb = new StringBuilder("true\\pred".PadRight(first));
        foreach (string name in classes) sb.Append(name.PadLeft(cell));
        sb.Append('\n');
        for (int r = 0; r < k; r++)
        {
            sb.Append(classes[r].PadRight(first));
            for (int c = 0; c < k; c++) sb.Append(count(r, c).ToString(CultureInfo.InvariantCulture).PadLeft(cell));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
