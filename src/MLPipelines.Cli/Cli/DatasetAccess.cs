using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.Download;

namespace MLPipelines.Cli.Cli;

/// <summary>Finds a data set for a command, fetching it first when it is missing and has mirrors.</summary>
public static class DatasetAccess
{
    public static string Folder(DataLocation location, IdxDatasetSpec spec) =>
        location.FolderFor(spec.Folder, dir => spec.Files.All(f => IdxDatasetLoader.Find(f, dir) is not null));

    /// <summary>Mirrors to use instead of a data set's own (comma-separated base URLs), e.g. behind a proxy.</summary>
    public const string MirrorsVariable = "MLP_MIRRORS";

    /// <summary>The data set's folder, downloaded into place when files are missing or fail their checks.</summary>
    public static string Ensure(DataLocation location, IdxDatasetSpec spec, IReadOnlyList<string>? mirrors = null, CancellationToken cancel = default)
    {
        string folder = Folder(location, spec);
        var problems = IdxDatasetLoader.Check(spec, folder).Where(s => !s.Ok).ToList();
        if (problems.Count == 0) return folder;
        string what = string.Join("; ", problems.Select(p => $"{p.Spec.Name}: {p.Error}"));
        mirrors = mirrors is { Count: > 0 } ? mirrors
            : Environment.GetEnvironmentVariable(MirrorsVariable)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (mirrors is { Count: > 0 }) spec = spec with { Mirrors = mirrors };
        if (spec.Mirrors.Count == 0)
            throw new UserError($"{spec.Name} is not usable in {folder} ({what}) and has no download mirror: copy its four IDX files there");
        Console.Error.WriteLine($"{spec.Name} is not usable in {folder} ({what}); downloading from {spec.Mirrors[0]}");
        try
        {
            Download(spec, folder, cancel);
        }
        catch (UserError e)
        {
            throw new UserError($"{spec.Name} in {folder}: {what}; and {e.Message}");
        }
        return folder;
    }

    public static void Download(IdxDatasetSpec spec, string folder, CancellationToken cancel)
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
                var files = downloader.FetchMissingAsync(spec, folder, progress, cancel).GetAwaiter().GetResult();
                foreach (var f in files) sink.Line($"fetched and verified {f}");
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
