namespace MLPipelines.Animals.Features;

/// <summary>The one line that says why an ONNX model runs on the CPU although a GPU was asked for.</summary>
public static class GpuFallback
{
    public static string Describe(Exception e)
    {
        string first = e.Message.ReplaceLineEndings(" ").Trim();
        if (first.Length > 160) first = first[..160] + "...";
        return "CUDA is not available to ONNX Runtime (this build carries the CPU runtime, or no GPU/CUDA library is present: "
               + first + "); running on the CPU";
    }
}
