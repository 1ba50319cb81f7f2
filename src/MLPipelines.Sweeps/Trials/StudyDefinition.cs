using MLPipelines.Data.Datasets;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Tuners;
using MLPipelines.Training;

namespace MLPipelines.Sweeps.Trials;

/// <summary>
/// A study as a caller asks for it: <see cref="ToConfig"/> checks every setting (name, space and its parameters, the
/// tuner's settings, the recipe, that a first trial configures) before any storage is touched, and gives the
/// <see cref="StudyConfig"/> stored with the study. <see cref="ArgumentException"/>s say what is wrong.
/// </summary>
public sealed record StudyDefinition
{
    public required string Name { get; init; }
    /// <summary>grid, random, ofat (one factor at a time around <see cref="Base"/>) or asha (successive halving).</summary>
    public string Tuner { get; init; } = "grid";
    /// <summary>The search space in <see cref="SearchSpace.Parse"/>'s form; null: the assignment's.</summary>
    public string? Space { get; init; }
    /// <summary>ofat's base point (null: the middle of each factor, as <see cref="TunerFactory.DefaultBase"/>).</summary>
    public string? Base { get; init; }
    public int Trials { get; init; }
    public int Epochs { get; init; } = 3;
    public int Eta { get; init; } = 3;
    public int MinEpochs { get; init; } = 1;
    public string Recipe { get; init; } = "assignment";
    public int TrainLimit { get; init; }
    public int TestLimit { get; init; }
    public long Seed { get; init; } = 1;
    public IdxDatasetSpec Dataset { get; init; } = KnownDatasets.Mnist;

    public StudyConfig ToConfig()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"bad study name '{Name}': use letters, digits, '-', '_' and '.'");
        if (Epochs < 1) throw new ArgumentException($"--epochs must be at least 1 (got {Epochs})");
        if (Trials < 0) throw new ArgumentException($"--trials must not be negative (got {Trials})");
        Recipes.Get(Recipe);
        var parsed = Space is null ? SearchSpace.Assignment : SearchSpace.Parse(Space);
        DigitTrialRunner.Validate(parsed);
        string tuner = TunerFactory.Normalize(Tuner);
        string? basePoint = null;
        if (tuner == "ofat")
        {
            var point = Base is null ? TunerFactory.DefaultBase(parsed) : ParameterSet.Parse(Base);
            parsed.Validate(point);
            basePoint = point.Key;
        }
        else if (Base is not null)
        {
            throw new ArgumentException("--base is for --tuner ofat");
        }
        var config = new StudyConfig
        {
            Name = Name, Tuner = tuner, Space = parsed.ToString(), Base = basePoint, Trials = Trials, Epochs = Epochs,
            Eta = Eta, MinEpochs = MinEpochs, Recipe = Recipe.ToLowerInvariant(), Dataset = Dataset.Reference,
            Classes = Dataset.Location is null ? null : Dataset.ClassNames,
            TrainLimit = TrainLimit, TestLimit = TestLimit, Seed = Seed,
        };
        // Creating the tuner checks eta, min epochs and the base point; configuring its first trial checks the rest.
        foreach (var point in TunerFactory.Create(config).Initial().Take(1))
            DigitTrialRunner.Configure(config, point, 1);
        return config;
    }
}
