using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLPipelines.Training;

/// <summary>
/// Process-wide libtorch settings. Call <see cref="Initialize"/> before the first TorchSharp call: OpenMP
/// reads its environment when libtorch is loaded.
/// </summary>
public static class TorchRuntime
{
    private static bool initialized;

    /// <summary>Threads used when none are asked for: one per core.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    public static void Initialize()
    {
        if (initialized) return;
        initialized = true;
        // This network's ops are tiny (a batch of 64 takes ~3 ms); OpenMP's default of putting idle threads
        // to sleep between them costs more than the work. Keep them spinning briefly instead, unless the
        // user has chosen. .NET's Environment.SetEnvironmentVariable does not reach native getenv, so setenv.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null
            && Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null)
            setenv("GOMP_SPINCOUNT", "10000000", 0);
    }

    /// <summary>Sets libtorch's intra-op threads (0 = one per core) and returns the count in use.</summary>
    public static int SetThreads(int threads)
    {
        Initialize();
        int n = threads > 0 ? threads : DefaultThreads;
        if (get_num_threads() != n) set_num_threads(n);
        return n;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
