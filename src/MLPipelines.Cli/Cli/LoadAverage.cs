namespace MLPipelines.Cli.Cli;

/// <summary>The machine's 1-minute load average, printed beside timings (figures taken on a busy machine are not comparable).</summary>
public static class LoadAverage
{
    public static string Now()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0] + $" on {Environment.ProcessorCount} cores";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unknown ({Environment.ProcessorCount} cores)";
        }
    }
}
