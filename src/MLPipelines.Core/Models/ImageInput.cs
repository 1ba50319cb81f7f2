using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MLPipelines.Core.Models;

/// <summary>The input row of every model: one image. Any size: the model's pipeline resizes it.</summary>
public sealed class ImageInput
{
    // Any size: the model's pipeline resizes. The attribute's size is the digits'; see ImageColumn.SchemaFor.
    [ColumnName(ModelSchema.Image), ImageType(28, 28)]
    public MLImage? Image { get; set; }
}

/// <summary>The output row: each class's probability and the predicted class name.</summary>
public sealed class ImageOutput
{
    [ColumnName(ModelSchema.Score)]
    public float[] Score { get; set; } = [];
}
