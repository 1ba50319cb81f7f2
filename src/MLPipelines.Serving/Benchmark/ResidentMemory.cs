using System.Diagnostics;

namespace MLPipelines.Serving.Benchmark;

/// <summary>
/// This process's resident memory (what the OS counts against it: managed heap, native libraries, native buffers),
/// read from /proc/self/status on Linux, and sampled in the background for its peak while a load runs.
/// </summary>
public sealed class ResidentMemory : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampler;
    private long peak;

    private ResidentMemory(TimeSpan interval)
    {
        peak = CurrentBytes();
        sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                long now = CurrentBytes();
                if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                try { await Task.Delay(interval, stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    /// <summary>Starts sampling every <paramref name="interval"/> (100 ms by default).</summary>
    public static ResidentMemory Sample(TimeSpan? interval = null) => new(interval ?? TimeSpan.FromMilliseconds(100));

    public long PeakBytes => Math.Max(Interlocked.Read(ref peak), CurrentBytes());

    /// <summary>Resident bytes now (VmRSS), or the working set where /proc is not there.</summary>
    public static long CurrentBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }

    public void Dispose()
    {
        stop.Cancel();
        try { sampler.Wait(TimeSpan.FromSeconds(1)); } catch (AggregateException) { }
        stop.Dispose();
    }
}
