using Microsoft.ML.OnnxRuntime;

namespace MLPipelines.Prediction.Models;

/// <summary>
/// Whether ONNX Runtime can run on a CUDA device here, and the one line that says why not. The CPU build of ONNX
/// Runtime lacks the CUDA entry point altogether (EntryPointNotFoundException, which ML.NET's FallbackToCpu does not
/// catch), so the device is tried once up front and a GPU request becomes a CPU run with a warning.
/// </summary>
public static class GpuFallback
{
    public static bool CudaAvailable(int device, out string? reason)
    {
        reason = null;
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(device);
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or InvalidOperationException)
        {
            reason = Describe(e);
            return false;
        }
    }

    public static string Describe(Exception e)
    {
        string first = e.Message.ReplaceLineEndings(" ").Trim();
        if (first.Length > 160) first = first[..160] + "...";
        return "CUDA is not available to ONNX Runtime (this build carries the CPU runtime, or no GPU/CUDA library is present: "
               + first + "); running on the CPU";
    }
}
