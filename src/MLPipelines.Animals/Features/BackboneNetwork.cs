namespace MLPipelines.Animals.Features;

/// <summary>
/// The network half of the backbone: an ONNX file reading preprocessed 3x224x224 images and writing 512 features,
/// with the id its features are cached under. Null in <see cref="BackboneOptions.Network"/> means the package's FP32 ResNet18.
/// </summary>
/// <param name="ModelPath">The ONNX network (the saved model keeps a copy: ML.NET stores it inside the .zip).</param>
/// <param name="Id">Names the network in feature caches: features of one network are never reused for another.</param>
public sealed record BackboneNetwork(string ModelPath, BackbonePrecision Precision, string Id)
{
    public string Describe() => Precision == BackbonePrecision.Int8 ? "INT8" : "FP32";
}
