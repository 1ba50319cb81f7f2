using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>Makes the tuner a study's configuration names.</summary>
public static class TunerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["grid", "random", "ofat", "asha", "tpe", "tpe-asha"];

    public static string Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "grid" => "grid",
        "random" => "random",
        "ofat" or "one-factor" or "onefactor" => "ofat",
        "asha" or "sha" or "successive-halving" or "hyperband" => "asha",
        "tpe" => "tpe",
        "tpe-asha" or "tpe+asha" or "tpe-sha" => "tpe-asha",
        _ => throw new ArgumentException($"unknown tuner '{name}' (known: {string.Join(", ", Names)})"),
    };

    public static ITuner Create(StudyConfig config)
    {
        var space = config.ParseSpace();
        int configurations = config.Trials > 0 ? config.Trials : (int)Math.Min(space.GridSize, int.MaxValue);
        int randomTrials = config.Trials > 0 ? config.Trials : 20;
        // In the space's order, as the tuners' own proposals are.
        var enqueued = config.Enqueued?.Select(ParameterSet.Parse)
            .Select(p => { space.Validate(p); return new ParameterSet(space.Parameters.Select(s => new KeyValuePair<string, double>(s.Name, p[s.Name]))); }).ToList();
        if (enqueued is not null)
        {
            if (Normalize(config.Tuner) is not ("tpe" or "random")) throw new ArgumentException("enqueued trials are for the tpe and random tuners");
        }
        int startup = config.StartupTrials > 0 ? config.StartupTrials : TpeSampler.StartupFor(config.Trials > 0 ? config.Trials : randomTrials);
        return Normalize(config.Tuner) switch
        {
            "grid" => new GridTuner(space, config.Epochs),
            "random" => new RandomTuner(space, randomTrials, config.Epochs, config.Seed, enqueued),
            "tpe" => new TpeTuner(space, randomTrials, config.Epochs, config.Seed, startup, enqueued),
            "tpe-asha" => new SuccessiveHalvingTuner(space, configurations, config.Epochs, config.Eta, config.MinEpochs, config.Seed,
                new TpeSampler(space, config.Seed, startup)),
            "ofat" => new OneFactorTuner(space, config.Base is null ? DefaultBase(space) : ParameterSet.Parse(config.Base), config.Epochs),
            _ => new SuccessiveHalvingTuner(space, configurations, config.Epochs, config.Eta, config.MinEpochs, config.Seed),
        };
    }

    /// <summary>The assignment's base point when the space has its parameters, else each parameter's middle grid value.</summary>
    public static ParameterSet DefaultBase(SearchSpace space) =>
        new(space.Parameters.Select(p => new KeyValuePair<string, double>(p.Name,
            SearchSpace.AssignmentBase.TryGet(p.Name, out double b) && p.Contains(b) ? b : p.GridValues[p.GridValues.Count / 2])));
}
