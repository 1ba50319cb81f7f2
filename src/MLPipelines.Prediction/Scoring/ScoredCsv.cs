using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace MLPipelines.Prediction.Scoring;

/// <summary>The CSV dialect of manifests and scored files: RFC 4180 with comma, UTF-8; written with "\n" line ends.</summary>
internal static class ScoredCsv
{
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>For reading: any line end (\r\n, \n, \r); setting NewLine would make the parser accept only that one.</summary>
    public static CsvConfiguration ReadConfig(bool countBytes = false) => new(CultureInfo.InvariantCulture)
    {
        BadDataFound = null,
        CountBytes = countBytes,
        Encoding = Utf8,
    };

    public static CsvConfiguration WriteConfig() => new(CultureInfo.InvariantCulture) { NewLine = "\n", Encoding = Utf8 };

    public static CsvParser OpenParser(string path, bool countBytes = false) =>
        new(new StreamReader(path, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), ReadConfig(countBytes));

    /// <summary>The header row; an error when the file is empty.</summary>
    public static string[] ReadHeader(CsvParser parser, string what)
    {
        if (!parser.Read() || parser.Record is not { Length: > 0 } header || header is [""])
            throw new ScoringException($"{what} is empty: it needs a header row naming its columns (e.g. path,label)");
        return header;
    }

    /// <summary>Data rows in a CSV file (a quick pass, for progress and ETA).</summary>
    public static long CountRows(string path)
    {
        using var parser = OpenParser(path);
        long rows = -1;
        while (parser.Read()) rows++;
        return Math.Max(rows, 0);
    }

    public static string Number(float value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
