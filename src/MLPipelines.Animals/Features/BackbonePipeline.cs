using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Transforms.Onnx;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;

namespace MLPipelines.Animals.Features;

/// <summary>
/// The backbone as an ML.NET pipeline, the first half of every saved animals model: image (the project's
/// model contract: an MLImage column "Image", any size) -> 224x224 (isotropic crop, centre) -> planar RGB
/// pixels -> ResNet preprocessing (ONNX) -> ResNet18 (ONNX) -> 512 features. It is DnnImageFeaturizer's ResNet18 chain built with <see cref="OnnxOptions"/>, so that
/// ONNX Runtime's threads and the GPU can be set; OnnxTransformer stores both ONNX models inside the saved .zip.
/// </summary>
public static class BackbonePipeline
{
    public const string Image = ModelSchema.Image;
    public const string PixelsColumn = "Pixels";
    public const string FeaturesColumn = "Features";

    public static IEstimator<ITransformer> Create(MLContext ml, BackboneOptions options)
    {
        options.Validate();
        return ml.Transforms.ResizeImages(Image, ResNet18Files.ImageSize, ResNet18Files.ImageSize, Image,
                ImageResizingEstimator.ResizingKind.IsoCrop, ImageResizingEstimator.Anchor.Center)
            .Append(ml.Transforms.ExtractPixels(PixelsColumn, Image))
            .Append(ml.Transforms.CopyColumns(ResNet18Files.PrepInput, PixelsColumn))
            .Append(ml.Transforms.ApplyOnnxModel(Onnx(ResNet18Files.PrepModel, ResNet18Files.PrepInput, ResNet18Files.PrepOutput, options)))
            .Append(ml.Transforms.CopyColumns(ResNet18Files.NetInput, ResNet18Files.PrepOutput))
            .Append(ml.Transforms.ApplyOnnxModel(Onnx(options.NetworkModel, ResNet18Files.NetInput, ResNet18Files.NetOutput, options)))
            .Append(ml.Transforms.CopyColumns(FeaturesColumn, ResNet18Files.NetOutput))
            .Append(ml.Transforms.DropColumns(Image, PixelsColumn, ResNet18Files.PrepInput, ResNet18Files.PrepOutput, ResNet18Files.NetInput, ResNet18Files.NetOutput));
    }

    // A GPU that ONNX Runtime cannot use is dropped here: ML.NET's FallbackToCpu does not cover a CPU-only build.
    private static OnnxOptions Onnx(string model, string input, string output, BackboneOptions options) => new()
    {
        ModelFile = model,
        InputColumns = [input],
        OutputColumns = [output],
        IntraOpNumThreads = options.EffectiveThreads,
        InterOpNumThreads = 1,
        GpuDeviceId = options.GpuDeviceId is int gpu && GpuFallback.CudaAvailable(gpu, out _) ? gpu : null,
        FallbackToCpu = true,
    };

    /// <summary>The backbone fitted (nothing in it learns: fitting only binds the columns).</summary>
    public static ITransformer Fit(MLContext ml, BackboneOptions options) => Create(ml, options).Fit(EmptyInput(ml));

    /// <summary>An empty view with the model contract's input column, typed as 224x224 images.</summary>
    public static IDataView EmptyInput(MLContext ml) =>
        ml.Data.LoadFromEnumerable(Array.Empty<ImageInput>(), ImageColumn.SchemaFor<ImageInput>(ResNet18Files.ImageSize, ResNet18Files.ImageSize));
}
