using MLPipelines.Core.Runs;
using MLPipelines.Core.Datasets;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Training;
using MLPipelines.Training.Transfer;

namespace MLPipelines.Cli.Commands;

/// <summary>What <c>mlp greek train</c> and <c>mlp greek test</c> share: where the letters and models are.</summary>
public static class GreekShared
{
    public const string DataFolderName = "greek";

    public static string ModelsFolder => ModelFiles.DefaultFolder;
    public static string DefaultModel => Path.Combine(ModelsFolder, "greek.zip");
    public static string DefaultDigits => Path.Combine(ModelsFolder, "digits.zip");

    /// <summary>
    /// The letters' split folder: <paramref name="explicitFolder"/> when given, else DATA/greek/<paramref name="split"/>
    /// (or DATA/<paramref name="split"/> when DATA is the greek folder itself).
    /// </summary>
    public static string SplitFolder(string? explicitFolder, string? dataOption, string split)
    {
        if (!string.IsNullOrWhiteSpace(explicitFolder)) return Path.GetFullPath(explicitFolder);
        var location = DataLocation.Resolve(dataOption);
        string folder = SplitFolder(location, split);
        if (!Directory.Exists(folder))
            throw new UserError($"Greek letters not found: {folder} (data from {location.Source}; give --data DIR or --{split} DIR)");
        return folder;
    }

    /// <summary>DATA/greek/<paramref name="split"/> (or DATA/<paramref name="split"/> when DATA is the greek folder), whether or not it exists.</summary>
    public static string SplitFolder(DataLocation location, string split) =>
        Path.Combine(location.FolderFor(DataFolderName, dir => Directory.Exists(Path.Combine(dir, split))), split);

    /// <summary>Scans a folder-per-class set, printing what was skipped; folder problems are one-line errors.</summary>
    public static ImageFolderSet Scan(string folder, IReadOnlyList<string>? classes, RunFolder? run)
    {
        try
        {
            return ImageFolderSet.Scan(folder, classes, warning =>
            {
                Console.Error.WriteLine($"warning: {warning}");
                run?.Log($"warning: {warning}");
            });
        }
        catch (ImageFolderException e)
        {
            throw new UserError(e.Message);
        }
    }

    public static string Percent(double fraction) => fraction.ToString("P1", CultureInfo.InvariantCulture);
}
