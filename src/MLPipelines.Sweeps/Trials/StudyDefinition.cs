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
    /// <summary>
    /// grid, random, ofat (one factor at a time around <see cref="Base"/>), asha (successive halving), tpe (the
    /// tree-structured Parzen estimator, model-based) or tpe-asha (successive halving of TPE's proposals).
    /// </summary>
    public string Tuner { get; init; } = "grid";
    /// <summary>The search space in <see cref="SearchSpace.Parse"/>'s form; null: the assignment's.</summary>
    public string? Space { get; init; }
    /// <summary>ofat's base point (null: the middle of each factor, as <see cref="TunerFactory.DefaultBase"/>).</summary>
    public string? Base { get; init; }
    public int Trials { get; init; }
    public int Epochs { get; init; } = 3;
    public int Eta { get; init; } = 3;
    public int MinEpochs { get; init; } = 1;
    /// <summary>TPE: random trials before its model proposes (0: a fifth of the trials, 4 to 10).</summary>
    public int StartupTrials { get; init; }
    /// <summary>Points tried first (tpe, random): <c>head=0;augment=0;...</c>, every parameter of the space given.</summary>
    public IReadOnlyList<string>? Enqueued { get; init; }
    public string Recipe { get; init; } = "assignment";
    public int TrainLimit { get; init; }
    public int TestLimit { get; init; }
    public long Seed { get; init; } = 1;
    public IdxDatasetSpec Dataset { get; init; } = KnownDatasets.Mnist;
    /// <summary>What trials train: digits (default), greek-transfer or photo-heads (<see cref="Running.TrialRunners"/>).</summary>
    public string Trainer { get; init; } = Running.TrialRunners.Digits;
    /// <summary>greek-transfer, photo-heads: the training images (a folder of class folders).</summary>
    public string? TrainFolder { get; init; }
    /// <summary>greek-transfer, photo-heads: the images trials are scored on (null: a stratified fifth of the training images).</summary>
    public string? ValidationFolder { get; init; }
    /// <summary>greek-transfer: the digit model transferred from (null: the project's models/digits.zip).</summary>
    public string? BaseModel { get; init; }

    /// <summary>greek-transfer's default space: the approach, augmentation and learning rate.</summary>
    public const string GreekSpace = "approach=0,1,2;augment=0,5,10,20;lr=0.003..0.1:log";

    public StudyConfig ToConfig()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"bad study name '{Name}': use letters, digits, '-', '_' and '.'");
        if (Epochs < 1) throw new ArgumentException($"--epochs must be at least 1 (got {Epochs})");
        if (Trials < 0) throw new ArgumentException($"--trials must not be negative (got {Trials})");
        if (StartupTrials < 0) throw new ArgumentException($"--startup-trials must not be negative (got {StartupTrials})");
        Recipes.Get(Recipe);
        string trainer = Running.TrialRunners.Normalize(Trainer);
        bool digits = trainer == Running.TrialRunners.Digits;
        var parsed = SearchSpace.Parse(Space ?? Running.TrialRunners.DefaultSpace(trainer));
        Running.TrialRunners.Validate(trainer, parsed);
        string? train = null, validation = null, baseModel = null;
        if (!digits)
        {
            if (TrainFolder is null) throw new ArgumentException($"--train DIR is needed for the {trainer} trainer (a folder of class folders)");
            train = FullFolder(TrainFolder, "--train");
            validation = ValidationFolder is null ? null : FullFolder(ValidationFolder, "--validation");
            if (BaseModel is not null && trainer != Running.GreekTrialRunner.Trainer) throw new ArgumentException("--base-model is for --trainer greek-transfer");
            baseModel = BaseModel is null ? null : Path.GetFullPath(BaseModel);
            if (baseModel is not null && !File.Exists(baseModel)) throw new ArgumentException($"--base-model: {baseModel} not found");
        }
        else if (TrainFolder is not null || ValidationFolder is not null || BaseModel is not null)
        {
            throw new ArgumentException("--train, --validation and --base-model are for the trainers of image folders (greek-transfer, photo-heads)");
        }
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
            Name = Name, Trainer = trainer, Validation = validation, BaseModel = baseModel, Tuner = tuner, Space = parsed.ToString(), Base = basePoint, Trials = Trials, Epochs = Epochs,
            Eta = Eta, MinEpochs = MinEpochs, StartupTrials = StartupTrials, Enqueued = Enqueued?.Select(p => ParameterSet.Parse(p).Key).ToList(), Recipe = Recipe.ToLowerInvariant(), Dataset = train ?? Dataset.Reference,
            Classes = digits && Dataset.Location is not null ? Dataset.ClassNames : null,
            TrainLimit = TrainLimit, TestLimit = TestLimit, Seed = Seed,
        };
        // Creating the tuner checks eta, min epochs and the base point; configuring its first trial checks the rest.
        foreach (var point in TunerFactory.Create(config).Initial().Take(1)) Running.TrialRunners.Check(config, point);
        return config;
    }

    private static string FullFolder(string folder, string option)
    {
        string full = Path.GetFullPath(folder);
        return Directory.Exists(full) ? full : throw new ArgumentException($"{option}: folder not found: {full}");
    }
}
