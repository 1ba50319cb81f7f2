using System.Globalization;
using CsvHelper;

namespace MLPipelines.Prediction.Tests.Support;

/// <summary>Reads and writes small CSV files for the tests (an independent reading of the scorer's output).</summary>
public static class Csv
{
    /// <summary>Every row, the header first.</summary>
    public static List<string[]> Read(string path)
    {
        using var parser = new CsvParser(new StreamReader(path), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read()) rows.Add(parser.Record!);
        return rows;
    }

    public static void Write(string path, IEnumerable<string[]> rows)
    {
        using var writer = new CsvWriter(new StreamWriter(path), CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            foreach (string f in row) writer.WriteField(f);
            writer.NextRecord();
        }
    }

    public static Dictionary<string, int> Columns(string[] header) => header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
}
