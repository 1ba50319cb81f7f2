using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using MLPipelines.Core.Models;

namespace MLPipelines.Training.MLNet;

/// <summary>The ML.NET image transforms in front of a grayscale model: resize → grayscale → pixels (0..255).</summary>
public static class ImagePipelines
{
    public static IEstimator<ITransformer> GrayscalePixels(MLContext ml, int width, int height) =>
        ml.Transforms.ResizeImages(ModelSchema.Image, width, height, ModelSchema.Image, ImageResizingEstimator.ResizingKind.Fill)
            .Append(ml.Transforms.ConvertToGrayscale(ModelSchema.Image))
            // A grayscale image has R = G = B: one channel is the whole picture.
            .Append(ml.Transforms.ExtractPixels(ModelSchema.Pixels, ModelSchema.Image, ImagePixelExtractingEstimator.ColorBits.Red));
}
