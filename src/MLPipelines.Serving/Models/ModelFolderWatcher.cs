using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MLPipelines.Serving.Models;

/// <summary>
/// Hot reload: watches the models folder and rescans it once it has been quiet for
/// <see cref="ServeOptions.ReloadDelay"/> after a change, so a file is loaded when its writer is done (an
/// atomic rename is one event; a copy in place is many). Files named in events are reloaded even if their
/// size and time look unchanged. A periodic rescan catches what the watcher misses (its buffer can overflow;
/// some file systems send no events).
/// </summary>
public sealed class ModelFolderWatcher(ModelRegistry registry, ServeOptions options, ILogger<ModelFolderWatcher> logger) : BackgroundService
{
    private const string All = "*";
    private readonly Channel<string> changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var watcher = Watch();
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
                logger.LogError(e, "rescanning {Folder} failed", registry.Folder);
            }
        }
    }

    /// <summary>The folder's watcher, or null where the system refuses one (inotify limits): then only the periodic rescan reloads.</summary>
    private FileSystemWatcher? Watch()
    {
        var watcher = new FileSystemWatcher(registry.Folder)
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
                registry.Folder, e.Message, options.RescanInterval.TotalSeconds);
            return null;
        }
    }

    private void Changed(string path)
    {
        if (ModelNames.FromFile(path) is { } name) changes.Writer.TryWrite(name);
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
