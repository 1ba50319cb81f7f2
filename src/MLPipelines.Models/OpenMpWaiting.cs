using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLPipelines.Models;

/// <summary>
/// libgomp's idle threads sleep at once instead of spinning (GOMP_SPINCOUNT=0). libtorch's parallel ops alternate with
/// the project's C# kernels, which run on .NET's threads: a libgomp thread left spinning after each libtorch op holds the
/// second core while a C# kernel wants it. Measured side by side on 2 cores (docs/performance.md): test inference 36-42k
/// → 48-56k images/s, the training epoch no slower. libgomp reads the variable when libtorch loads, so this runs when
/// the first of this assembly's types is touched; a value the user set (GOMP_SPINCOUNT or OMP_WAIT_POLICY) is kept.
/// </summary>
public static class OpenMpWaiting
{
    private static int applied;

    /// <summary>Sets GOMP_SPINCOUNT=0 for this process unless the user chose a wait policy; too late once libtorch is loaded.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        try
        {
            // .NET's Environment.SetEnvironmentVariable does not reach the C library's environment that libgomp reads.
            setenv("GOMP_SPINCOUNT", "0", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

#pragma warning disable CA2255 // a library's module initializer: it must run before libtorch is loaded
    [ModuleInitializer]
    internal static void OnLoad() => Apply();
#pragma warning restore CA2255

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);
}
