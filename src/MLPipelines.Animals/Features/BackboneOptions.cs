namespace MLPipelines.Animals.Features;

/// <summary>How the ResNet18 backbone runs: ONNX Runtime threads, images per ONNX call, and the device.</summary>
public sealed record BackboneOptions
{
    /// <summary>ONNX Runtime intra-op threads; 0 = one per core.</summary>
    public int Threads { get; init; }
    /// <summary>Images per ONNX Runtime call when featurizing for training.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>CUDA device to run on, or null for the CPU. Falls back to the CPU when CUDA is not there.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>The network to run; null: the package's FP32 ResNet18. An INT8 one comes from <see cref="Quantization.Int8Backbone"/>.</summary>
    public BackboneNetwork? Network { get; init; }

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    /// <summary>The ONNX file of the network that runs.</summary>
    public string NetworkModel => Network?.ModelPath ?? ResNet18Files.NetModel;

    /// <summary>The id features of this backbone are cached under (<see cref="FeatureCache.Open"/>).</summary>
    public string CacheId => Network is null ? ResNet18Files.BackboneId : $"{ResNet18Files.BackboneId}/{Network.Id}";

    public void Validate()
    {
        if (Threads < 0) throw new ArgumentException($"threads must be >= 0 (got {Threads})");
        if (BatchSize is < 1 or > 256) throw new ArgumentException($"batch size must be 1-256 (got {BatchSize})");
        if (GpuDeviceId is < 0) throw new ArgumentException($"GPU device id must be >= 0 (got {GpuDeviceId})");
        if (Network is not null && !File.Exists(Network.ModelPath)) throw new ArgumentException($"backbone network missing: {Network.ModelPath}");
    }
}
