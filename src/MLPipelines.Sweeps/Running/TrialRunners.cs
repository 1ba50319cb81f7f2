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
    public static IReadOnlyList<string> Trainers { get; } = [Digits, GreekTrialRunner.Trainer, PhotoHeadTrialRunner.Trainer];

    /// <summary>The photo heads' default space: which head, the views, L-BFGS's L2 and the MLP's settings.</summary>
    public const string PhotoSpace = "head=0,1,2;augment=0,1,2;l2=0.001..10:log;hidden=64..1024:int:log;dropout=0.0..0.7;lr=0.0003..0.01:log;epochs=10..60:int";

    public static string Normalize(string trainer) => trainer.Trim().ToLowerInvariant() switch
    {
        "digits" or "digit" or "mnist" => Digits,
        "greek-transfer" or "greek" or "letters" => GreekTrialRunner.Trainer,
        "photo-heads" or "photos" or "animals" or "animals-heads" => PhotoHeadTrialRunner.Trainer,
        _ => throw new ArgumentException($"unknown trainer '{trainer}' (known: {string.Join(", ", Trainers)})"),
    };

    /// <summary>Whether the trainer reads a folder of class folders (--train) rather than an IDX data set.</summary>
    public static bool TrainsOnFolder(string trainer) => Normalize(trainer) != Digits;

    /// <summary>The parameters the trainer understands, and what they set.</summary>
    public static IReadOnlyDictionary<string, string> KnownParameters(string trainer) => Normalize(trainer) switch
    {
        Digits => DigitTrialRunner.KnownParameters,
        GreekTrialRunner.Trainer => GreekTrialRunner.KnownParameters,
        _ => PhotoHeadTrialRunner.KnownParameters,
    };

    /// <summary>The space a study of the trainer searches when none is given.</summary>
    public static string DefaultSpace(string trainer) => Normalize(trainer) switch
    {
        Digits => SearchSpace.Assignment.ToString(),
        GreekTrialRunner.Trainer => StudyDefinition.GreekSpace,
        _ => PhotoSpace,
    };

    /// <summary>An error naming the parameters the trainer knows when the space has one it does not.</summary>
    public static void Validate(string trainer, SearchSpace space)
    {
        switch (Normalize(trainer))
        {
            case Digits: DigitTrialRunner.Validate(space); break;
            case GreekTrialRunner.Trainer: GreekTrialRunner.Validate(space); break;
            default: PhotoHeadTrialRunner.Validate(space); break;
        }
    }

    /// <summary>An error when a point of the space is not a trial the trainer can run (a fractional epoch count, ...).</summary>
    public static void Check(StudyConfig config, ParameterSet point)
    {
        switch (Normalize(config.Trainer))
        {
            case Digits: DigitTrialRunner.Configure(config, point, 1); break;
            case GreekTrialRunner.Trainer: GreekTrialRunner.Configure(config, point, 1); break;
            default: PhotoHeadTrialRunner.Configure(config, point); break;
        }
    }

    /// <summary>
    /// The runner of a study's trials, made when the first trial is claimed. <paramref name="featureCache"/>: where
    /// the photo heads keep backbone features (null: <see cref="PhotoHeadTrialRunner.DefaultCacheFolder"/>).
    /// </summary>
    public static ITrialRunner ForStudy(StudyConfig config, DataLocation data, int threads, Func<IdxDatasetSpec, string>? folderOf = null, string? featureCache = null) =>
        Normalize(config.Trainer) switch
        {
            Digits => DigitTrialRunner.ForStudy(config, data, threads, folderOf),
            GreekTrialRunner.Trainer => GreekTrialRunner.ForStudy(config, threads),
            _ => PhotoHeadTrialRunner.ForStudy(config, threads, featureCache),
        };
}
