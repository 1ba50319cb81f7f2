using System.Text.Json;
using MLPipelines.Sweeps.Space;

namespace MLPipelines.Sweeps.Trials;

/// <summary>
/// What defines a study, stored with it so that every worker (on any machine) and every resumed run trains the
/// same way: the space, the tuner and its settings, and the training every trial shares.
/// </summary>
public sealed record StudyConfig
{
    public required string Name { get; init; }
    /// <summary>What a trial trains (<see cref="Running.TrialRunners"/>): digits (the digit network on an IDX data set), greek-transfer or photo-heads.</summary>
    public string Trainer { get; init; } = Running.TrialRunners.Digits;
    public string Tuner { get; init; } = "grid";
    /// <summary>The search space in <see cref="SearchSpace.Parse"/>'s text form.</summary>
    public string Space { get; init; } = SearchSpace.Assignment.ToString();
    /// <summary>The one-factor tuner's base point (<c>dropout=0.5;batch=100;kernel=5</c>).</summary>
    public string? Base { get; init; }
    /// <summary>Configurations the random and successive-halving tuners try (0: the grid's size).</summary>
    public int Trials { get; init; }
    /// <summary>Epochs of a full trial (the successive-halving tuner's top rung).</summary>
    public int Epochs { get; init; } = 3;
    /// <summary>Successive halving: keep the best 1/Eta of each rung; rungs at MinEpochs·Eta^k.</summary>
    public int Eta { get; init; } = 3;
    public int MinEpochs { get; init; } = 1;
    /// <summary>TPE: random trials before the model proposes (0: <see cref="Tuners.TpeSampler.StartupFor"/> the trials).</summary>
    public int StartupTrials { get; init; }
    /// <summary>Points tried first (tpe, random), as Optuna's <c>enqueue_trial</c>: known-good defaults, so that a short budget still gets them.</summary>
    public IReadOnlyList<string>? Enqueued { get; init; }
    public string Recipe { get; init; } = "assignment";
    /// <summary>The IDX data set: a name the project knows, or the absolute folder of one given as a path.</summary>
    public string Dataset { get; init; } = "mnist";
    /// <summary>greek-transfer, photo-heads: the folder of class folders trials are scored on (null: a stratified fifth of the training set).</summary>
    public string? Validation { get; init; }
    /// <summary>greek-transfer: the digit model the letters are transferred from (null: the project's models/digits.zip).</summary>
    public string? BaseModel { get; init; }
    /// <summary>Class names of a data set given as a folder (null for a named one: its own names, ten of them).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Outputs of the network every trial trains.</summary>
    public int ClassCount => Classes?.Count ?? 10;
    public int TrainLimit { get; init; }
    public int TestLimit { get; init; }
    /// <summary>Every trial trains with this seed, so trials differ only by their parameters (and the tuner samples with it).</summary>
    public long Seed { get; init; } = 1;

    public SearchSpace ParseSpace() => SearchSpace.Parse(Space);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StudyConfig FromJson(string json) =>
        JsonSerializer.Deserialize<StudyConfig>(json, Json) ?? throw new InvalidDataException("empty study configuration");

    /// <summary>The settings that must match when a command joins an existing study; null when they do.</summary>
    public string? Difference(StudyConfig other)
    {
        if (Trainer != other.Trainer) return $"trainer {Trainer} (asked: {other.Trainer})";
        if (Validation != other.Validation || BaseModel != other.BaseModel) return $"validation {Validation ?? "split"}, base model {BaseModel ?? "default"} (asked: {other.Validation ?? "split"}, {other.BaseModel ?? "default"})";
        if (Tuner != other.Tuner) return $"tuner {Tuner} (asked: {other.Tuner})";
        if (Space != other.Space) return $"space {Space} (asked: {other.Space})";
        if (Epochs != other.Epochs) return $"epochs {Epochs} (asked: {other.Epochs})";
        if (TrainLimit != other.TrainLimit || TestLimit != other.TestLimit) return $"train/test limits {TrainLimit}/{TestLimit} (asked: {other.TrainLimit}/{other.TestLimit})";
        if (Recipe != other.Recipe) return $"recipe {Recipe} (asked: {other.Recipe})";
        if (Seed != other.Seed) return $"seed {Seed} (asked: {other.Seed})";
        if (Trials != other.Trials) return $"trials {Trials} (asked: {other.Trials})";
        if (Base != other.Base) return $"base {Base} (asked: {other.Base})";
        if (string.Join('|', Enqueued ?? []) != string.Join('|', other.Enqueued ?? [])) return $"enqueued trials {string.Join(", ", Enqueued ?? [])} (asked: {string.Join(", ", other.Enqueued ?? [])})";
        if (StartupTrials != other.StartupTrials) return $"startup trials {StartupTrials} (asked: {other.StartupTrials})";
        if (Eta != other.Eta || MinEpochs != other.MinEpochs) return $"eta/min epochs {Eta}/{MinEpochs} (asked: {other.Eta}/{other.MinEpochs})";
        if (Dataset != other.Dataset) return $"data set {Dataset} (asked: {other.Dataset})";
        if (ClassCount != other.ClassCount) return $"{ClassCount} classes (asked: {other.ClassCount})";
        return null;
    }
}
