using MLPipelines.Data.Datasets;

namespace MLPipelines.Data.Download;

/// <summary>What <see cref="DatasetAccess.Ensure"/> found: the folder to load from, the files it fetched, and warnings
/// worth showing (files used without a checksum to prove them).</summary>
public sealed record EnsuredDataset(string Folder, IReadOnlyList<string> Fetched, IReadOnlyList<string> Warnings);

/// <summary>
/// Finds a data set's folder and fills it: missing files are fetched when the set has mirrors; a file that is there but
/// fails its checks is the user's, kept as it is, and is an error (<see cref="Download"/> with repair replaces it).
/// Problems are <see cref="DatasetException"/>s and <see cref="DownloadException"/>s with one-line messages.
/// </summary>
public static class DatasetAccess
{
    /// <summary>Mirrors to use instead of a data set's own (comma-separated base URLs), e.g. behind a proxy.</summary>
    public const string MirrorsVariable = "MLP_MIRRORS";

    /// <summary>The folder the data set is (or will be) in: its own location, else the first folder under the data root that holds it.</summary>
    public static string Folder(DataLocation location, IdxDatasetSpec spec) =>
        spec.Location ?? location.FolderFor(spec.Folder, dir => spec.Files.All(f => IdxDatasetLoader.Find(f, dir) is not null));

    /// <summary>Whether <see cref="Ensure"/> would download something.</summary>
    public static bool IsIncomplete(DataLocation location, IdxDatasetSpec spec) =>
        IdxDatasetLoader.Check(spec, Folder(location, spec)).Any(s => !s.Found);

    /// <summary>
    /// The data set's folder, with its missing files downloaded into place. Files that are there and fail their checks
    /// are never touched: that is an error saying how to repair them. Unverified files are used, with a warning.
    /// </summary>
    public static EnsuredDataset Ensure(DataLocation location, IdxDatasetSpec spec, IProgress<DownloadProgress>? progress = null,
        IReadOnlyList<string>? mirrors = null, CancellationToken cancel = default)
    {
        string folder = Folder(location, spec);
        var status = IdxDatasetLoader.Check(spec, folder);
        var bad = status.Where(s => s.Bad).ToList();
        if (bad.Count > 0) throw new DatasetException(BadFilesMessage(spec, folder, bad));
        IReadOnlyList<string> fetched = [];
        var missing = status.Where(s => !s.Found).ToList();
        if (missing.Count > 0)
        {
            spec = WithMirrors(spec, mirrors);
            if (spec.Mirrors.Count == 0)
                throw new DatasetException($"{spec.Name} is incomplete in {folder} ({string.Join(", ", missing.Select(p => p.Spec.Name))} missing) " +
                                           "and has no download mirror: copy its four IDX files there");
            fetched = Download(spec, folder, repair: false, progress, cancel).Fetched;
            status = IdxDatasetLoader.Check(spec, folder);
        }
        return new EnsuredDataset(folder, fetched, Warnings(spec, folder, status));
    }

    /// <summary>Downloads the missing files, or with <paramref name="repair"/> also moves the bad ones aside (NAME.bad) and fetches them again.</summary>
    public static RepairResult Download(IdxDatasetSpec spec, string folder, bool repair, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancel = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var downloader = new DatasetDownloader(http);
        return repair
            ? downloader.RepairAsync(spec, folder, progress, cancel).GetAwaiter().GetResult()
            : new RepairResult([], downloader.FetchMissingAsync(spec, folder, progress, cancel).GetAwaiter().GetResult());
    }

    /// <summary>One line for files that fail their checks: what is wrong, that they are kept, and how to replace them.</summary>
    public static string BadFilesMessage(IdxDatasetSpec spec, string folder, IReadOnlyList<DataFileStatus> bad) =>
        $"{spec.Name} in {folder}: " + string.Join("; ", bad.Select(b => $"{Path.GetFileName(b.Path)}: {Short(b)}")) +
        $". {(bad.Count == 1 ? "The file is" : "The files are")} kept unchanged; " +
        (spec.Mirrors.Count > 0 ? $"'mlp data --repair{DataOption(spec, folder)}' moves {(bad.Count == 1 ? "it" : "them")} aside (NAME.bad) and downloads verified copies"
                                : "replace them with good copies");

    /// <summary>The spec with <paramref name="mirrors"/>, else those of <see cref="MirrorsVariable"/>, else its own.</summary>
    public static IdxDatasetSpec WithMirrors(IdxDatasetSpec spec, IReadOnlyList<string>? mirrors)
    {
        mirrors = mirrors is { Count: > 0 } ? mirrors
            : Environment.GetEnvironmentVariable(MirrorsVariable)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return mirrors is { Count: > 0 } ? spec with { Mirrors = mirrors } : spec;
    }

    private static string DataOption(IdxDatasetSpec spec, string folder) =>
        (spec.Name == KnownDatasets.Mnist.Name ? "" : $" --dataset {spec.Reference}") + $" --data {folder}";

    private static string Short(DataFileStatus s) => s.Error is { } e && s.Path is not null ? e.Replace(s.Path + ": ", "") : s.Error ?? "checksum mismatch";

    private static IReadOnlyList<string> Warnings(IdxDatasetSpec spec, string folder, IReadOnlyList<DataFileStatus> status)
    {
        if (!spec.Verifiable) return [$"{spec.Name} ({folder}) is unverified: no checksums are known for a data set given as a folder"];
        var unverified = status.Where(s => s.Checksum == ChecksumResult.Unverified).Select(s => Path.GetFileName(s.Path)).ToList();
        return unverified.Count == 0 ? []
            : [$"{spec.Name}: {string.Join(", ", unverified)} unverified (not the mirrors' .gz, whose MD5 is all that is known; the content has the expected shape)"];
    }
}
