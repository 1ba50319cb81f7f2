using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Animals.Features.Quantization;

/// <summary>How the ResNet18 is quantized to INT8.</summary>
public sealed record QuantizationOptions
{
    /// <summary>Training photos whose activations set the ranges (spread over the list: every class).</summary>
    public int CalibrationImages { get; init; } = 64;
    /// <summary>7-bit weights: avoids int16 saturation in ONNX Runtime's u8·s8 kernels on CPUs without VNNI.</summary>
    public bool ReduceRange { get; init; } = true;
    /// <summary>ONNX Runtime threads for calibration; 0 = one per core.</summary>
    public int Threads { get; init; }

    public void Validate()
    {
        if (CalibrationImages is < 1 or > 10_000) throw new ArgumentException($"calibration images must be 1-10000 (got {CalibrationImages})");
        if (Threads < 0) throw new ArgumentException($"threads must be >= 0 (got {Threads})");
    }
}

/// <summary>An INT8 network: the ONNX bytes, what they were calibrated on, and an id that names them (for caches).</summary>
public sealed record QuantizedNetwork(byte[] Model, int CalibrationImages, string Id);

/// <summary>
/// Static INT8 quantization of the backbone network, written by the project's ONNX code: batch norms folded into the
/// convolutions, activation ranges calibrated on photos, int8 weights with per-channel scales, QDQ operators that
/// ONNX Runtime runs with its integer kernels. The result has the float network's input and output names and shapes,
/// so it replaces it wherever the network runs (the featurizer, the saved model).
/// </summary>
public static class Int8Quantizer
{
    /// <summary>Quantizes <paramref name="floatModel"/> (an ONNX network reading preprocessed images) calibrated on <paramref name="photos"/>.</summary>
    public static QuantizedNetwork Quantize(byte[] floatModel, IReadOnlyList<string> photos, QuantizationOptions options,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var chosen = FeaturizationBenchmark.Spread(photos, options.CalibrationImages);
        if (chosen.Count == 0) throw new ArgumentException("no photos to calibrate the INT8 network on");
        var folded = BatchNormFolding.Fold(ModelProto.Parser.ParseFrom(OnnxBatchDimension.MakeSymbolic(floatModel)));
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        int used = 0;
        var ranges = ActivationRanges.Measure(folded, Inputs(chosen, threads, n =>
        {
            used += n;
            progress?.Report((used, chosen.Count));
        }, cancel), threads, cancel);
        if (used == 0) throw new ArgumentException("none of the calibration photos decodes");
        var quantized = QdqWriter.Write(folded, ranges, options.ReduceRange);
        quantized.ProducerName = "MLPipelines int8";
        byte[] bytes = quantized.ToByteArray();
        return new QuantizedNetwork(bytes, used, IdOf(bytes));
    }

    /// <summary>The uint8 scale and zero point of an activation range (widened to hold 0, so that 0 is exact).</summary>
    public static (float Scale, byte ZeroPoint) Uint8Parameters(ValueRange range) => QdqWriter.Parameters(range);

    /// <summary>Names a quantized network by its bytes.</summary>
    public static string IdOf(byte[] model) => "int8-" + Convert.ToHexString(SHA256.HashData(model))[..16].ToLowerInvariant();

    private const int Batch = 8;

    /// <summary>The photos as the network's input: decoded like the featurizer does, through the preprocessing model.</summary>
    private static IEnumerable<DenseTensor<float>> Inputs(IReadOnlyList<string> photos, int threads, Action<int> decoded, CancellationToken cancel)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var prep = new InferenceSession(OnnxBatchDimension.MakeSymbolic(File.ReadAllBytes(ResNet18Files.PrepModel)), options);
        var pixels = new float[Batch * ImagePreprocessor.Length];
        for (int start = 0; start < photos.Count; start += Batch)
        {
            cancel.ThrowIfCancellationRequested();
            int n = 0;
            foreach (string path in photos.Skip(start).Take(Batch))
                if (TryLoad(path, pixels.AsSpan(n * ImagePreprocessor.Length, ImagePreprocessor.Length))) n++;
            if (n == 0) continue;
            var input = new DenseTensor<float>(pixels.AsMemory(0, n * ImagePreprocessor.Length), [n, 3, ResNet18Files.ImageSize, ResNet18Files.ImageSize]);
            using var result = prep.Run([NamedOnnxValue.CreateFromTensor(ResNet18Files.PrepInput, input)]);
            var prepared = new DenseTensor<float>(result.First().AsEnumerable<float>().ToArray(), [n, 3, ResNet18Files.ImageSize, ResNet18Files.ImageSize]);
            decoded(n);
            yield return prepared;
        }
    }

    private static bool TryLoad(string path, Span<float> destination)
    {
        try
        {
            return ImagePreprocessor.TryLoad(path, destination);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false; // an unreadable photo is skipped here as the featurizer skips it
        }
    }
}
