using System.Diagnostics;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// Wall time, CPU time and peak memory of the work since the last lap. A worker runs one trial at a time, so the
/// process's CPU time is the trial's. The peak is the resident set's high-water mark, which Linux lets a process
/// reset (write 5 to /proc/self/clear_refs), so each trial gets its own peak; elsewhere it is the process's peak.
/// </summary>
public sealed class ResourceMeter
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastCpu;
    private TimeSpan lastWall;

    public ResourceMeter()
    {
        ResetPeak();
        lastCpu = Cpu();
    }

    public (double WallSeconds, double CpuSeconds) Lap()
    {
        var wall = clock.Elapsed;
        var cpu = Cpu();
        var lap = ((wall - lastWall).TotalSeconds, (cpu - lastCpu).TotalSeconds);
        lastWall = wall;
        lastCpu = cpu;
        return lap;
    }

    private static TimeSpan Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    public static void ResetPeak()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static double PeakMemoryMb()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/self/status"))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
            }
            catch (IOException) { }
        }
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
