namespace MLPipelines.Core.Models;

/// <summary>
/// The column names every model .zip of this project uses, so apps can bind to them (<see cref="ModelInput"/>,
/// <see cref="ModelOutput"/>): the input is an image file's path (<see cref="ImagePath"/>), which the model's first
/// transformer loads into the <see cref="Image"/> column; the outputs are the probability of each class
/// (<see cref="Score"/>, in the order of <see cref="ModelMetadata.Classes"/>) and the predicted class name
/// (<see cref="PredictedLabel"/>, a string).
/// </summary>
public static class ModelSchema
{
    public const string ImagePath = "ImagePath";
    public const string Image = "Image";
    public const string Pixels = "Pixels";
    /// <summary>The picture fitted into the model's fixed canvas, planar ARGB floats (models that prepare pictures themselves).</summary>
    public const string Canvas = "Canvas";
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";
    public const string PredictedIndex = "PredictedIndex";
}
