using MLPipelines.Models;
using static TorchSharp.torch;

namespace MLPipelines.Training;

/// <summary>
/// Process-wide libtorch settings. OpenMP's idle threads sleep at once (<see cref="OpenMpWaiting"/>): with the C#
/// kernels between libtorch's ops, spinning threads held the cores those kernels wanted. Users who know their machine
/// can still set GOMP_SPINCOUNT or OMP_WAIT_POLICY themselves.
/// </summary>
public static class TorchRuntime
{
    static TorchRuntime() => OpenMpWaiting.Apply();

    /// <summary>Threads used when none are asked for: one per core.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary>Sets libtorch's intra-op threads (0 = one per core) and returns the count in use.</summary>
    public static int SetThreads(int threads)
    {
        int n = threads > 0 ? threads : DefaultThreads;
        if (get_num_threads() != n) set_num_threads(n);
        return n;
    }
}
