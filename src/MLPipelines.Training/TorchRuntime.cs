using static TorchSharp.torch;

namespace MLPipelines.Training;

/// <summary>
/// Process-wide libtorch settings. OpenMP's waiting is left at libgomp's default: measured on this network,
/// longer spinning (GOMP_SPINCOUNT=10M) was 25% slower on a quiet machine and many times slower on a busy one,
/// and a passive wait 75% slower; users who know their machine can still set OMP_WAIT_POLICY themselves.
/// </summary>
public static class TorchRuntime
{
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
