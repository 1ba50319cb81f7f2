using System.Runtime.Intrinsics.X86;

namespace MLPipelines.Animals.Features;

/// <summary>Which ResNet18 computes the features: the package's float network, or an INT8 one calibrated on the training photos.</summary>
public enum BackbonePrecision
{
    /// <summary>INT8 where the CPU has VNNI (ONNX Runtime's integer kernels are faster there), FP32 elsewhere.</summary>
    Auto,
    Fp32,
    Int8,
}

/// <summary>Resolves <see cref="BackbonePrecision.Auto"/> for this machine.</summary>
public static class BackbonePrecisions
{
    public static IReadOnlyList<string> Names { get; } = ["auto", "fp32", "int8"];

    public static BackbonePrecision Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "auto" => BackbonePrecision.Auto,
        "fp32" => BackbonePrecision.Fp32,
        "int8" => BackbonePrecision.Int8,
        _ => throw new ArgumentException($"unknown precision '{name}' (known: {string.Join(", ", Names)})"),
    };

    public static BackbonePrecision Resolve(BackbonePrecision p) =>
        p != BackbonePrecision.Auto ? p : CpuHasVnni ? BackbonePrecision.Int8 : BackbonePrecision.Fp32;

    /// <summary>
    /// AVX-VNNI or AVX512-VNNI: 8-bit dot products in one instruction. Without them ONNX Runtime's u8·s8 kernels emulate
    /// them and were measured no faster than FP32 (docs/performance.md).
    /// </summary>
    public static bool CpuHasVnni { get; } = AvxVnni.IsSupported || CpuInfoFlag("avx512_vnni");

    private static bool CpuInfoFlag(string flag)
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo")) return false;
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return line is not null && line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(flag);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
