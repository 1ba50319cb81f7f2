namespace MLPipelines.Sweeps.Storage;

/// <summary>
/// A worker's id: host/pid/nonce. A trial held by a process of this host that no longer exists is re-queued at once;
/// other hosts' dead workers are found by their heartbeat's age.
/// </summary>
public static class WorkerIdentity
{
    public static string New() => $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    public static bool IsDeadOnThisHost(string? worker)
    {
        if (worker is null) return false;
        string[] parts = worker.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out int pid)) return false;
        if (pid == Environment.ProcessId) return false;
        if (OperatingSystem.IsLinux()) return !Directory.Exists($"/proc/{pid}") || IsZombie(pid);
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    // A killed child that its parent has not reaped yet still has a /proc entry.
    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
