using Microsoft.ML.Data;

namespace MLPipelines.Core.Models;

/// <summary>
/// What a model .zip takes with ML.NET alone, as Model Builder's generated <c>ModelInput</c>: the path of an image file
/// (PNG, JPEG, BMP, GIF, WebP), any size. The model loads it (ML.NET's <c>LoadImages</c>) and prepares it.
/// </summary>
public sealed class ModelInput
{
    [ColumnName(ModelSchema.ImagePath)]
    public string ImagePath { get; set; } = "";
}

/// <summary>What a model .zip gives, as Model Builder's generated <c>ModelOutput</c>.</summary>
public sealed class ModelOutput
{
    /// <summary>The most probable class's name.</summary>
    [ColumnName(ModelSchema.PredictedLabel)]
    public string PredictedLabel { get; set; } = "";

    /// <summary>Each class's probability, in the order of the model's classes (they sum to 1).</summary>
    [ColumnName(ModelSchema.Score)]
    public float[] Score { get; set; } = [];
}
