using MLPipelines.Data.Datasets;
using MLPipelines.Models;

namespace MLPipelines.Training.Digits;

/// <summary>
/// What <see cref="DigitTraining.Run"/> trains: the network and recipe on an IDX data set already on disk, into a run
/// folder; what a run records in its options.json, so that a resumed run goes on exactly as it started.
/// </summary>
public sealed record DigitTrainingOptions
{
    /// <summary>The data set: a name the project knows, or the folder of one given as a path (see <see cref="IdxDatasetResolver"/>).</summary>
    public required string Dataset { get; init; }
    /// <summary>Class names of a data set given as a folder (null for a named one).</summary>
    public IReadOnlyList<string>? Classes { get; init; }
    /// <summary>The folder holding the data set's files.</summary>
    public string DataFolder { get; init; } = "";
    public DigitNetOptions Model { get; init; } = new();
    public TrainingOptions Training { get; init; } = Recipes.Assignment;
    /// <summary>Where the model is published besides the run folder (the caller publishes it); null: the run folder only.</summary>
    public string? ModelOut { get; init; }
    /// <summary>How the run was asked for (the command line), recorded in the model's metadata.</summary>
    public string CommandLine { get; init; } = "";

    public IdxDatasetSpec DatasetSpec() => IdxDatasetResolver.Resolve(Dataset, Classes);
}
