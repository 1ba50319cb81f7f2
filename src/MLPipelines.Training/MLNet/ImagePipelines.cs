using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using MLPipelines.Core.Models;

namespace MLPipelines.Training.MLNet;

/// <summary>The ML.NET image transforms in front of a network.</summary>
public static class ImagePipelines
{
    /// <summary>
    /// For a model that prepares pictures itself: the picture fitted into a size x size canvas keeping its aspect
    /// (IsoPad: ML.NET leaves the rest transparent), then its alpha, red, green and blue planes as 0..255 floats.
    /// </summary>
    public static IEstimator<ITransformer> Canvas(MLContext ml, int size) =>
        ml.Transforms.ResizeImages(ModelSchema.Image, size, size, ModelSchema.Image, ImageResizingEstimator.ResizingKind.IsoPad)
            .Append(ml.Transforms.ExtractPixels(ModelSchema.Canvas, ModelSchema.Image, ImagePixelExtractingEstimator.ColorBits.All,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false));

    /// <summary>For a model of ready images: resize → grayscale → pixels (0..255).</summary>
    public static IEstimator<ITransformer> GrayscalePixels(MLContext ml, int width, int height) =>
        ml.Transforms.ResizeImages(ModelSchema.Image, width, height, ModelSchema.Image, ImageResizingEstimator.ResizingKind.Fill)
            .Append(ml.Transforms.ConvertToGrayscale(ModelSchema.Image))
            // A grayscale image has R = G = B: one channel is the whole picture.
            .Append(ml.Transforms.ExtractPixels(ModelSchema.Pixels, ModelSchema.Image, ImagePixelExtractingEstimator.ColorBits.Red));
}
