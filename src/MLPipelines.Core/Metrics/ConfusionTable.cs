using System.Globalization;
using System.Text;

namespace MLPipelines.Core.Metrics;

/// <summary>Confusion matrices (rows: true class, columns: predicted): counted from labels and predictions, and as the
/// one plain-text table that every command prints and writes to confusion.txt.</summary>
public static class ConfusionTable
{
    public static int[,] Count(int classes, IReadOnlyList<int> labels, IReadOnlyList<int> predictions)
    {
        var m = new int[classes, classes];
        for (int i = 0; i < labels.Count; i++) m[labels[i], predictions[i]]++;
        return m;
    }

    public static string ToText(IReadOnlyList<string> classes, int[,] counts) => ToText(classes, (r, c) => counts[r, c]);

    public static string ToText(IReadOnlyList<string> classes, long[][] counts) => ToText(classes, (r, c) => counts[r][c]);

    public static string ToText(IReadOnlyList<string> classes, Func<int, int, long> count)
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
