using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MLPipelines.Serving.Models;

/// <summary>
/// Hot reload: watches the pool's watched sources (folders, and the folders of watched files) and rescans once
/// they have been quiet for <see cref="ImageClassifierPoolOptions.ReloadDelay"/> after a change, so a file is
/// loaded when its writer is done (an atomic rename is one event; a copy in place is many). Files named in events
/// are reloaded even if their size and time look unchanged. A periodic rescan catches what the watcher misses (its
/// buffer can overflow; some file systems send no events).
/// </summary>
public sealed class ModelWatcher(ImageClassifierPool registry, ILogger<ModelWatcher> logger) : BackgroundService
{
    private readonly ImageClassifierPoolOptions options = registry.Options;

    private const string All = "*";
    private readonly Channel<string> changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var watched = options.Sources.Where(s => s.WatchForChanges).ToList();
        if (watched.Count == 0) return;
        var watchers = watched.Select(Watch).OfType<FileSystemWatcher>().ToList();
        try
        {
            await WatchAsync(stop);
        }
        finally
        {
            foreach (var w in watchers) w.Dispose();
        }
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        var reader = changes.Reader;
        while (!stop.IsCancellationRequested)
        {
            var reload = new HashSet<string>(StringComparer.Ordinal);
            if (await WaitAsync(reader, options.RescanInterval, stop))
            {
                // Gather events until the folder has been quiet for ReloadDelay.
                do
                {
                    while (reader.TryRead(out var name)) reload.Add(name);
                }
                while (await WaitAsync(reader, options.ReloadDelay, stop));
            }
            if (stop.IsCancellationRequested) break;
            try
            {
                registry.Scan(reload);
            }
            catch (Exception e)
            {
                logger.LogError(e, "rescanning the models failed");
            }
        }
    }

    /// <summary>The source's watcher, or null where the system refuses one (inotify limits): then only the periodic rescan reloads.</summary>
    private FileSystemWatcher? Watch(ModelSource source)
    {
        string folder = source.IsFolder ? source.Path : Path.GetDirectoryName(source.Path)!;
        if (!Directory.Exists(folder))
        {
            logger.LogWarning("cannot watch {Folder}: it does not exist; rescanning every {Seconds} s instead", folder, options.RescanInterval.TotalSeconds);
            return null;
        }
        var watcher = new FileSystemWatcher(folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        watcher.Created += (_, e) => Changed(e.FullPath);
        watcher.Changed += (_, e) => Changed(e.FullPath);
        watcher.Deleted += (_, e) => Changed(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            Changed(e.OldFullPath);
            Changed(e.FullPath);
        };
        watcher.Error += (_, e) =>
        {
            logger.LogWarning("file watcher: {Error}; rescanning the folder", e.GetException().Message);
            changes.Writer.TryWrite(All);
        };
        try
        {
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            watcher.Dispose();
            logger.LogWarning("cannot watch {Folder} ({Error}); rescanning it every {Seconds} s instead",
                folder, e.Message, options.RescanInterval.TotalSeconds);
            return null;
        }
    }

    private void Changed(string path)
    {
        string full = Path.GetFullPath(path);
        foreach (var source in options.Sources.Where(s => s.WatchForChanges))
        {
            if (!source.IsFolder && source.Path == full) changes.Writer.TryWrite(source.Name!);
            else if (source.IsFolder && Path.GetDirectoryName(full) == source.Path && ModelNames.FromFile(full) is { } name) changes.Writer.TryWrite(name);
        }
    }

    /// <summary>True when something can be read within <paramref name="timeout"/>; false on timeout or stop.</summary>
    private static async Task<bool> WaitAsync(ChannelReader<string> reader, TimeSpan timeout, CancellationToken stop)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        wait.CancelAfter(timeout);
        try
        {
            return await reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
