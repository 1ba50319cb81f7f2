using MLPipelines.Prediction.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLPipelines.Animals.Features;

/// <summary>
/// The ResNet18 backbone run directly on ONNX Runtime, a batch of images per call: the preprocessing and the
/// network models of the DnnImageFeaturizer package with their batch dimension made symbolic. This is the
/// fast path for training (features are computed once and cached); the saved model runs the same two ONNX
/// models through ML.NET's OnnxTransformer (<see cref="BackbonePipeline"/>).
/// </summary>
public sealed class OnnxBackbone : IDisposable
{
    private readonly InferenceSession prep;
    private readonly InferenceSession net;

    public OnnxBackbone(BackboneOptions options)
    {
        options.Validate();
        Options = options;
        (prep, string prepDevice) = Open(ResNet18Files.PrepModel, options);
        (net, Device) = Open(options.NetworkModel, options);
        if (prepDevice != Device) Device = $"{Device} (preprocessing on {prepDevice})";
        if (options.Network is { Precision: BackbonePrecision.Int8 }) Device += ", INT8 network";
    }

    public BackboneOptions Options { get; }

    /// <summary>Where the network runs, in words ("CPU, 2 threads", "CUDA device 0").</summary>
    public string Device { get; }

    /// <summary>Why CUDA was not used although asked for, or null.</summary>
    public string? GpuFallbackReason { get; private set; }

    /// <summary>Features of <paramref name="count"/> preprocessed images (3x224x224 floats each, one after the other).</summary>
    public float[][] Run(float[] pixels, int count)
    {
        if (pixels.Length < count * ImagePreprocessor.Length) throw new ArgumentException("pixel buffer too small for the batch");
        var input = new DenseTensor<float>(pixels.AsMemory(0, count * ImagePreprocessor.Length), [count, 3, ResNet18Files.ImageSize, ResNet18Files.ImageSize]);
        using var prepared = prep.Run([NamedOnnxValue.CreateFromTensor(ResNet18Files.PrepInput, input)]);
        var middle = prepared.First().AsTensor<float>();
        using var output = net.Run([NamedOnnxValue.CreateFromTensor(ResNet18Files.NetInput, middle)]);
        var features = output.First().AsEnumerable<float>().ToArray();
        int dim = features.Length / count;
        return Enumerable.Range(0, count).Select(i => features.AsSpan(i * dim, dim).ToArray()).ToArray();
    }

    private (InferenceSession Session, string Device) Open(string modelPath, BackboneOptions options)
    {
        byte[] model = OnnxBatchDimension.MakeSymbolic(File.ReadAllBytes(modelPath));
        var session = new SessionOptions
        {
            IntraOpNumThreads = options.EffectiveThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        string device = $"CPU, {options.EffectiveThreads} thread{(options.EffectiveThreads == 1 ? "" : "s")}";
        if (options.GpuDeviceId is int gpu)
        {
            if (GpuFallback.CudaAvailable(gpu, out string? why))
            {
                session.AppendExecutionProvider_CUDA(gpu);
                device = $"CUDA device {gpu}";
            }
            else
            {
                GpuFallbackReason ??= why;
            }
        }
        return (new InferenceSession(model, session), device);
    }

    public void Dispose()
    {
        prep.Dispose();
        net.Dispose();
    }
}
