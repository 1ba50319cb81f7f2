using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.Download;

namespace MLPipelines.Cli.Cli;

/// <summary>
/// Finds a data set for a command: missing files are fetched when the set has mirrors; a file that is there but fails
/// its checks is the user's, kept as it is, and stops the command (<c>mlp data --repair</c> replaces it).
/// </summary>
public static class DatasetAccess
{
    /// <summary>A data set by name or folder (<c>--dataset</c>), with class names for a folder (<c>--classes a,b,...</c>).</summary>
    public static IdxDatasetSpec Resolve(string nameOrFolder, string? classes = null, IReadOnlyList<string>? classNames = null)
    {
        try
        {
            return IdxDatasetResolver.Resolve(nameOrFolder, classNames ?? IdxDatasetResolver.ParseClassList(classes));
        }
        catch (DatasetException e)
        {
            throw new UserError(e.Message);
        }
    }

    public static string Folder(DataLocation location, IdxDatasetSpec spec) =>
        spec.Location ?? location.FolderFor(spec.Folder, dir => spec.Files.All(f => IdxDatasetLoader.Find(f, dir) is not null));

    /// <summary>Mirrors to use instead of a data set's own (comma-separated base URLs), e.g. behind a proxy.</summary>
    public const string MirrorsVariable = "MLP_MIRRORS";

    /// <summary>
    /// The data set's folder, with its missing files downloaded into place. Files that are there and fail their checks
    /// are never touched: that is an error saying how to repair them. Unverified files are used with a warning.
    /// </summary>
    public static string Ensure(DataLocation location, IdxDatasetSpec spec, IReadOnlyList<string>? mirrors = null, CancellationToken cancel = default)
    {
        string folder = Folder(location, spec);
        var status = IdxDatasetLoader.Check(spec, folder);
        var bad = status.Where(s => s.Bad).ToList();
        if (bad.Count > 0) throw new UserError(BadFilesMessage(spec, folder, bad));
        var missing = status.Where(s => !s.Found).ToList();
        if (missing.Count > 0)
        {
            spec = WithMirrors(spec, mirrors);
            string what = string.Join(", ", missing.Select(p => p.Spec.Name));
            if (spec.Mirrors.Count == 0)
                throw new UserError($"{spec.Name} is incomplete in {folder} ({what} missing) and has no download mirror: copy its four IDX files there");
            Console.Error.WriteLine($"{spec.Name}: {what} missing in {folder}; downloading from {spec.Mirrors[0]}");
            Download(spec, folder, repair: false, cancel);
            status = IdxDatasetLoader.Check(spec, folder);
        }
        WarnUnverified(spec, folder, status);
        return folder;
    }

    /// <summary>One line for files that fail their checks: what is wrong, that they are kept, and how to replace them.</summary>
    public static string BadFilesMessage(IdxDatasetSpec spec, string folder, IReadOnlyList<DataFileStatus> bad) =>
        $"{spec.Name} in {folder}: " + string.Join("; ", bad.Select(b => $"{Path.GetFileName(b.Path)}: {Short(b)}")) +
        $". {(bad.Count == 1 ? "The file is" : "The files are")} kept unchanged; " +
        (spec.Mirrors.Count > 0 ? $"'mlp data --repair{DataOption(spec, folder)}' moves {(bad.Count == 1 ? "it" : "them")} aside (NAME.bad) and downloads verified copies"
                                : "replace them with good copies");

    private static string DataOption(IdxDatasetSpec spec, string folder) =>
        (spec.Name == KnownDatasets.Mnist.Name ? "" : $" --dataset {spec.Reference}") + $" --data {folder}";

    private static string Short(DataFileStatus s) => s.Error is { } e && s.Path is not null ? e.Replace(s.Path + ": ", "") : s.Error ?? "checksum mismatch";

    private static void WarnUnverified(IdxDatasetSpec spec, string folder, IReadOnlyList<DataFileStatus> status)
    {
        if (!spec.Verifiable)
        {
            Console.Error.WriteLine($"warning: {spec.Name} ({folder}) is unverified: no checksums are known for a data set given as a folder");
            return;
        }
        var unverified = status.Where(s => s.Checksum == ChecksumResult.Unverified).Select(s => Path.GetFileName(s.Path)).ToList();
        if (unverified.Count > 0)
            Console.Error.WriteLine($"warning: {spec.Name}: {string.Join(", ", unverified)} unverified (not the mirrors' .gz, whose MD5 is all that is known; the content has the expected shape)");
    }

    public static IdxDatasetSpec WithMirrors(IdxDatasetSpec spec, IReadOnlyList<string>? mirrors)
    {
        mirrors = mirrors is { Count: > 0 } ? mirrors
            : Environment.GetEnvironmentVariable(MirrorsVariable)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return mirrors is { Count: > 0 } ? spec with { Mirrors = mirrors } : spec;
    }

    /// <summary>Downloads the missing files, or with <paramref name="repair"/> also moves the bad ones aside and fetches them again.</summary>
    public static void Download(IdxDatasetSpec spec, string folder, bool repair, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var downloader = new DatasetDownloader(http);
        ProgressDisplay.Run($"download {spec.Name}", 1, sink =>
        {
            var progress = new SyncProgress<DownloadProgress>(p =>
            {
                double fraction = p.TotalBytes is > 0 ? (double)p.BytesReceived / p.TotalBytes.Value : 0;
                sink.Report(fraction, $"{p.File} {p.BytesReceived / 1e6:F1} MB");
            });
            try
            {
                if (repair)
                {
                    var result = downloader.RepairAsync(spec, folder, progress, cancel).GetAwaiter().GetResult();
                    foreach (var (from, to) in result.MovedAside) sink.Line($"moved {from} aside to {to}");
                    foreach (var f in result.Fetched) sink.Line($"fetched and verified {f}");
                }
                else
                {
                    foreach (var f in downloader.FetchMissingAsync(spec, folder, progress, cancel).GetAwaiter().GetResult())
                        sink.Line($"fetched and verified {f}");
                }
            }
            catch (DownloadException e)
            {
                throw new UserError(e.Message);
            }
            return 0;
        });
    }

    /// <summary>Loads a split, turning format problems into one-line errors.</summary>
    public static LabeledImages Load(IdxDatasetSpec spec, string folder, DataSplit split)
    {
        try
        {
            return IdxDatasetLoader.Load(spec, folder, split);
        }
        catch (Exception e) when (e is Data.Idx.IdxFormatException or FileNotFoundException or IOException)
        {
            throw new UserError(e.Message);
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this reports on the caller's thread, in order.</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
