using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLPipelines.Core.Runs;

/// <summary>Reads the small files of run folders (CSV with a header line, JSON) with one-line errors.</summary>
public static class RunFiles
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The rows of a CSV file without quoting (what the trainer writes), header checked and skipped.</summary>
    public static List<T> ReadCsv<T>(string path, string header, Func<string[], T> parse)
    {
        string[] lines = ReadLines(path);
        if (lines.Length == 0 || lines[0].Trim() != header)
            throw new RunFileException($"{path}: expected the header '{header}'");
        var rows = new List<T>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            try
            {
                rows.Add(parse(lines[i].Split(',')));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw new RunFileException($"{path}: line {i + 1} is not valid ({lines[i]})");
            }
        }
        return rows;
    }

    /// <summary>A JSON file, written atomically, in the form <see cref="ReadJson{T}"/> reads.</summary>
    public static void WriteJson<T>(string path, T value) => Data.IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Json));

    /// <summary>A CSV file of a header and pre-formatted lines, written atomically, as <see cref="ReadCsv{T}"/> reads it.</summary>
    public static void WriteCsv(string path, string header, IEnumerable<string> lines) =>
        Data.IO.AtomicFile.WriteAllText(path, header + "\n" + string.Concat(lines.Select(l => l + "\n")));

    public static T ReadJson<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new RunFileException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new RunFileException($"{path}: not valid JSON ({e.Message})");
        }
        catch (IOException e)
        {
            throw new RunFileException($"{path}: cannot be read ({e.Message})");
        }
    }

    public static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new RunFileException($"{path}: cannot be read ({e.Message})");
        }
    }

    public static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
    public static int I(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
    public static long L(string s) => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (FileNotFoundException)
        {
            throw new RunFileException($"{path} not found");
        }
        catch (IOException e)
        {
            throw new RunFileException($"{path}: cannot be read ({e.Message})");
        }
    }
}
