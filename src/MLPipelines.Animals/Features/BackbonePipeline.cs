using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Transforms.Onnx;

namespace MLPipelines.Animals.Features;

/// <summary>
/// The backbone as an ML.NET pipeline, the first half of every saved animals model: image file path -> image
/// -> 224x224 (isotropic crop, centre) -> planar RGB pixels -> ResNet preprocessing (ONNX) -> ResNet18 (ONNX)
/// -> 512 features. It is DnnImageFeaturizer's ResNet18 chain built with <see cref="OnnxOptions"/>, so that
/// ONNX Runtime's threads and the GPU can be set; OnnxTransformer stores both ONNX models inside the saved .zip.
/// </summary>
public static class BackbonePipeline
{
    public const string ImagePathColumn = "ImagePath";
    public const string ImageColumn = "Image";
    public const string PixelsColumn = "Pixels";
    public const string FeaturesColumn = "Features";

    public static IEstimator<ITransformer> Create(MLContext ml, BackboneOptions options)
    {
        options.Validate();
        return ml.Transforms.LoadImages(ImageColumn, imageFolder: "", inputColumnName: ImagePathColumn)
            .Append(ml.Transforms.ResizeImages(ImageColumn, ResNet18Files.ImageSize, ResNet18Files.ImageSize, ImageColumn,
                ImageResizingEstimator.ResizingKind.IsoCrop, ImageResizingEstimator.Anchor.Center))
            .Append(ml.Transforms.ExtractPixels(PixelsColumn, ImageColumn))
            .Append(ml.Transforms.CopyColumns(ResNet18Files.PrepInput, PixelsColumn))
            .Append(ml.Transforms.ApplyOnnxModel(Onnx(ResNet18Files.PrepModel, ResNet18Files.PrepInput, ResNet18Files.PrepOutput, options)))
            .Append(ml.Transforms.CopyColumns(ResNet18Files.NetInput, ResNet18Files.PrepOutput))
            .Append(ml.Transforms.ApplyOnnxModel(Onnx(ResNet18Files.NetModel, ResNet18Files.NetInput, ResNet18Files.NetOutput, options)))
            .Append(ml.Transforms.CopyColumns(FeaturesColumn, ResNet18Files.NetOutput))
            .Append(ml.Transforms.DropColumns(ImageColumn, PixelsColumn, ResNet18Files.PrepInput, ResNet18Files.PrepOutput, ResNet18Files.NetInput, ResNet18Files.NetOutput));
    }

    private static OnnxOptions Onnx(string model, string input, string output, BackboneOptions options) => new()
    {
        ModelFile = model,
        InputColumns = [input],
        OutputColumns = [output],
        IntraOpNumThreads = options.EffectiveThreads,
        InterOpNumThreads = 1,
        GpuDeviceId = options.GpuDeviceId,
        FallbackToCpu = true,
    };

    /// <summary>The input a saved animals model expects: the path of an image file.</summary>
    public sealed class Input
    {
        public string ImagePath { get; set; } = "";
    }
}
