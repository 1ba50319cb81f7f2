using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLPipelines.Data.Datasets;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;

namespace MLPipelines.Training.MLNet;

/// <summary>A labelled image row as ML.NET sees it: the image and its class name.</summary>
public sealed class LabeledImageRow
{
    [ColumnName(ModelSchema.Image), ImageType(28, 28)]
    public MLImage? Image { get; set; }

    public string Label { get; set; } = "";
}

/// <summary>Turns in-memory image sets into IDataViews with an Image and a key-typed Label column.</summary>
public static class LabeledImageData
{
    /// <summary>MNIST-style byte images as an IDataView of MLImages (made lazily, one per row read).</summary>
    public static IDataView FromImages(MLContext ml, LabeledImages images) =>
        ml.Data.LoadFromEnumerable(Rows(images), ImageColumn.SchemaFor<LabeledImageRow>(images.Width, images.Height));

    private static IEnumerable<LabeledImageRow> Rows(LabeledImages images)
    {
        for (int i = 0; i < images.Count; i++)
        {
            var gray = GrayImage.FromBytes(images.Width, images.Height, images.Image(i));
            yield return new LabeledImageRow { Image = MLPipelines.Core.Imaging.MLImages.From(gray), Label = images.ClassNames[images.Labels[i]] };
        }
    }

    /// <summary>Maps the text Label to a key whose order is <paramref name="classes"/>' order (not the order rows come in).</summary>
    public static ITransformer LabelToKey(MLContext ml, IReadOnlyList<string> classes)
    {
        var keys = ml.Data.LoadFromEnumerable(classes.Select(c => new LabelRow { Label = c }));
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<LabelRow>());
        return ml.Transforms.Conversion.MapValueToKey("Label", keyData: keys).Fit(empty);
    }

    /// <summary>The schema a saved model takes as input: just the image, of the model's size.</summary>
    public static DataViewSchema InputSchema(MLContext ml, int width, int height) =>
        ml.Data.LoadFromEnumerable(Array.Empty<ImageInput>(), ImageColumn.SchemaFor<ImageInput>(width, height)).Schema;

    private sealed class LabelRow
    {
        public string Label { get; set; } = "";
    }
}
