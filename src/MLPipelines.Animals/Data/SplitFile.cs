using System.Globalization;
using System.Text;
using MLPipelines.Data.IO;

namespace MLPipelines.Animals.Data;

/// <summary>split.csv of a run: each photo's path, class and split, so that a test uses the photos training did not.</summary>
public static class SplitFile
{
    public const string Name = "split.csv";

    public static void Write(string path, PhotoSet set, IReadOnlyList<Split> splits)
    {
        var sb = new StringBuilder("path,class,source,split\n");
        for (int i = 0; i < set.Photos.Count; i++)
        {
            var p = set.Photos[i];
            sb.Append(CultureInfo.InvariantCulture, $"{Quote(p.Path)},{Quote(set.ClassNames[p.Label])},{Quote(p.Source)},{splits[i].ToString().ToLowerInvariant()}\n");
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>The split of each photo of <paramref name="set"/> as the file says; photos it does not list get none.</summary>
    public static Split?[] Read(string path, PhotoSet set)
    {
        var byPath = new Dictionary<string, Split>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            var fields = ParseLine(line);
            if (fields.Count < 4) throw new InvalidDataException($"{path}: bad line '{line}'");
            if (!Enum.TryParse<Split>(fields[3], ignoreCase: true, out var split)) throw new InvalidDataException($"{path}: unknown split '{fields[3]}'");
            byPath[fields[0]] = split;
        }
        return set.Photos.Select(p => byPath.TryGetValue(p.Path, out var s) ? s : (Split?)null).ToArray();
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    private static List<string> ParseLine(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
