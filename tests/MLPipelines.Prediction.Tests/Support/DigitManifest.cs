using MLPipelines.Tests.Support;
namespace MLPipelines.Prediction.Tests.Support;

/// <summary>
/// A manifest over the shared handwritten digits in a temp folder: small/ copied beside it (relative paths),
/// photos/ and drawn/ by absolute path, a note column with a comma, quotes and a line break, and three bad
/// rows (a missing file, a text file, an empty file). Written with "\r\n" line ends, as CsvHelper and Excel write CSV.
/// </summary>
public sealed class DigitManifest
{
    public const string MissingFile = "missing/7.png";
    public const string TextFile = "notes.png";
    public const string EmptyFile = "empty.png";

    private DigitManifest(string path, List<string[]> rows)
    {
        Path = path;
        Rows = rows;
    }

    public string Path { get; }
    /// <summary>The data rows as written (path, label, note).</summary>
    public IReadOnlyList<string[]> Rows { get; }
    public static readonly string[] Header = ["path", "label", "note"];

    public static bool IsBad(string path) => path is MissingFile or TextFile or EmptyFile;

    public static DigitManifest Create(string folder)
    {
        string digits = TestData.HandwrittenDigits;
        Directory.CreateDirectory(System.IO.Path.Combine(folder, "small"));
        var rows = new List<string[]>();
        for (int d = 0; d < 10; d++)
        {
            File.Copy(System.IO.Path.Combine(digits, "small", $"{d}.png"), System.IO.Path.Combine(folder, "small", $"{d}.png"));
            rows.Add([$"small/{d}.png", $"{d}", $"small {d}"]);
            rows.Add([System.IO.Path.Combine(digits, "photos", $"{d}.png"), $"{d}", d == 3 ? "photo, \"three\"\nsecond line" : $"photo {d}"]);
            rows.Add([System.IO.Path.Combine(digits, "drawn", $"{d}.png"), $"{d}", $"drawn {d}"]);
        }
        File.WriteAllText(System.IO.Path.Combine(folder, TextFile), "not an image, just text\n");
        File.WriteAllBytes(System.IO.Path.Combine(folder, EmptyFile), []);
        rows.Insert(4, [MissingFile, "7", "gone"]);
        rows.Insert(11, [TextFile, "1", "text"]);
        rows.Insert(20, [EmptyFile, "5", ""]);
        string path = System.IO.Path.Combine(folder, "digits.csv");
        Csv.Write(path, [Header, .. rows]);
        return new DigitManifest(path, rows);
    }
}
