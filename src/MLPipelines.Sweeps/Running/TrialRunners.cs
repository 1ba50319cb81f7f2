using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// The trainers a study's trials can run (<see cref="StudyConfig.Trainer"/>), each an <see cref="ITrialRunner"/>; the
/// engine (tuners, storage, workers) knows nothing of them.
/// </summary>
public static class TrialRunners
{
    public const string Digits = "digits";
    public static IReadOnlyList<string> Trainers { get; } = [Digits, GreekTrialRunner.Trainer];

    public static string Normalize(string trainer) => trainer.Trim().ToLowerInvariant() switch
    {
        "digits" or "digit" or "mnist" => Digits,
        "greek-transfer" or "greek" or "letters" => GreekTrialRunner.Trainer,
        _ => throw new ArgumentException($"unknown trainer '{trainer}' (known: {string.Join(", ", Trainers)})"),
    };

    /// <summary>The parameters the trainer understands, and what they set.</summary>
    public static IReadOnlyDictionary<string, string> KnownParameters(string trainer) =>
        Normalize(trainer) == Digits ? DigitTrialRunner.KnownParameters : GreekTrialRunner.KnownParameters;

    /// <summary>An error naming the parameters the trainer knows when the space has one it does not.</summary>
    public static void Validate(string trainer, SearchSpace space)
    {
        if (Normalize(trainer) == Digits) DigitTrialRunner.Validate(space);
        else GreekTrialRunner.Validate(space);
    }

    /// <summary>The runner of a study's trials, made when the first trial is claimed.</summary>
    public static ITrialRunner ForStudy(StudyConfig config, DataLocation data, int threads, Func<IdxDatasetSpec, string>? folderOf = null) =>
        Normalize(config.Trainer) == Digits
            ? DigitTrialRunner.ForStudy(config, data, threads, folderOf)
            : GreekTrialRunner.ForStudy(config, threads);
}
