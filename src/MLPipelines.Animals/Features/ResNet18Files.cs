namespace MLPipelines.Animals.Features;

/// <summary>
/// The ImageNet-pretrained ResNet18 that Microsoft.ML.DnnImageFeaturizer.ResNet18 ships as ONNX (no download):
/// a preprocessing model (per-channel mean subtraction on 0-255 RGB) and the network up to its global average
/// pool (512 features). The package copies both under DnnImageModels/ beside the program.
/// </summary>
public static class ResNet18Files
{
    public const int ImageSize = 224;
    public const int FeatureCount = 512;
    public const string PrepInput = "OriginalInput";
    public const string PrepOutput = "PreprocessedInput";
    public const string NetInput = "Input247";
    public const string NetOutput = "Pooling395_Output_0";
    /// <summary>Names the backbone and the preprocessing; feature caches made with another are not reused.</summary>
    public const string BackboneId = "dnnfeaturizer-resnet18-0.23.1/decode-1mp-onto-white/isocrop-center-224/rgb-planar-0-255/v2";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
    public static string PrepModel => Require(Path.Combine(Folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
    public static string NetModel => Require(Path.Combine(Folder, "ResNet18Onnx", "ResNet18.onnx"));

    private static string Require(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"ResNet18 model missing: {path} (it comes with the Microsoft.ML.DnnImageFeaturizer.ResNet18 package; rebuild)");
}
