using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using MLPipelines.Serving.Api;

namespace MLPipelines.Serving;

/// <summary>
/// Gives memory back once the server goes idle after work. Each large image is decoded at about a megapixel, but a
/// burst of requests still leaves freed memory behind in two places that keep it: the GC's large-object heap (a
/// collection runs only when allocations ask for one, and then keeps its regions for the next burst) and glibc's
/// malloc arenas (SkiaSharp's native buffers; one arena per thread that allocated, not returned to the OS by free).
/// After <see cref="ServeOptions.TrimAfterIdle"/> without a prediction, this runs one compacting collection and,
/// on Linux with glibc, <c>malloc_trim(0)</c>: a few milliseconds, once per burst.
/// </summary>
public sealed class MemoryTrimmer(PredictionGate gate, ServeOptions options) : BackgroundService
{
    private long trimmedAt = -1;

    /// <summary>How many times memory was trimmed.</summary>
    public int Trims { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (options.TrimAfterIdle <= TimeSpan.Zero) return;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(options.TrimAfterIdle.TotalMilliseconds / 4, 50, 1000));
        long seen = -1;
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(tick, stop); } catch (OperationCanceledException) { return; }
            long idle = gate.IdleMilliseconds;
            long last = Environment.TickCount64 - idle;
            if (gate.Active > 0 || idle < options.TrimAfterIdle.TotalMilliseconds || last == seen || last <= trimmedAt) continue;
            seen = last;
            Trim();
            trimmedAt = Environment.TickCount64;
            Trims++;
        }
    }

    /// <summary>A compacting, decommitting collection, then glibc's trim of its free lists.</summary>
    public static void Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux()) TrimNative();
    }

    private static void TrimNative()
    {
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl): nothing to trim this way.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
