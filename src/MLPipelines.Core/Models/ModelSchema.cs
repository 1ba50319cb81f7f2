namespace MLPipelines.Core.Models;

/// <summary>
/// The column names every model .zip of this project uses, so apps can bind to them: the input is an
/// image (an <c>MLImage</c> column named <see cref="Image"/>), the outputs the probability of each class
/// (<see cref="Score"/>, in the order of <see cref="ModelMetadata.Classes"/>) and the predicted class name
/// (<see cref="PredictedLabel"/>).
/// </summary>
public static class ModelSchema
{
    public const string Image = "Image";
    public const string Pixels = "Pixels";
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";
    public const string PredictedIndex = "PredictedIndex";
}
