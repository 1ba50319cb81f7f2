using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.Download;

namespace MLPipelines.Cli.Cli;

/// <summary>The commands' way to <see cref="DatasetAccess"/>: a download shows a bar, warnings go to standard error.</summary>
public static class DataFiles
{
    /// <summary>The data set's folder, its missing files downloaded (<see cref="DatasetAccess.Ensure"/>).</summary>
    public static string Ensure(DataLocation location, IdxDatasetSpec spec, CancellationToken cancel = default)
    {
        EnsuredDataset result;
        if (!DatasetAccess.IsIncomplete(location, spec))
        {
            result = DatasetAccess.Ensure(location, spec, cancel: cancel);
        }
        else
        {
            var withMirrors = DatasetAccess.WithMirrors(spec, null);
            if (withMirrors.Mirrors.Count > 0)
                Console.Error.WriteLine($"{spec.Name}: files missing in {DatasetAccess.Folder(location, spec)}; downloading from {withMirrors.Mirrors[0]}");
            result = WithBar(spec, progress => DatasetAccess.Ensure(location, spec, progress, cancel: cancel));
            foreach (string f in result.Fetched) Console.WriteLine($"fetched and verified {f}");
        }
        foreach (string warning in result.Warnings) Console.Error.WriteLine($"warning: {warning}");
        return result.Folder;
    }

    /// <summary><see cref="DatasetAccess.Download"/> with a bar, saying what it moved aside and fetched.</summary>
    public static void Download(IdxDatasetSpec spec, string folder, bool repair, CancellationToken cancel)
    {
        var result = WithBar(spec, progress => DatasetAccess.Download(spec, folder, repair, progress, cancel));
        foreach (var (from, to) in result.MovedAside) Console.WriteLine($"moved {from} aside to {to}");
        foreach (string f in result.Fetched) Console.WriteLine($"fetched and verified {f}");
    }

    private static T WithBar<T>(IdxDatasetSpec spec, Func<IProgress<DownloadProgress>, T> work) =>
        ProgressDisplay.Run($"download {spec.Name}", 1, sink => work(new InlineProgress<DownloadProgress>(p =>
            sink.Report(p.TotalBytes is > 0 ? (double)p.BytesReceived / p.TotalBytes.Value : 0, $"{p.File} {p.BytesReceived / 1e6:F1} MB"))));
}
