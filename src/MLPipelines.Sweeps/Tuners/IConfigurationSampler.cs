using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>
/// Chooses the next configuration to try, as a function of the study's trials (and its seed), so that workers in
/// other processes share it: random search (<see cref="RandomSampler"/>) or a model of the results so far
/// (<see cref="TpeSampler"/>). Tuners that decide how long trials train (successive halving) take one.
/// </summary>
public interface IConfigurationSampler
{
    string Name { get; }

    /// <summary>A point not yet in the study, or null when none is left.</summary>
    ParameterSet? Next(IReadOnlyList<Trial> trials);
}

/// <summary>Random search's draws (<see cref="Sampler.Next"/>) as an <see cref="IConfigurationSampler"/>.</summary>
public sealed class RandomSampler(SearchSpace space, long seed) : IConfigurationSampler
{
    public string Name => "random";
    public ParameterSet? Next(IReadOnlyList<Trial> trials) => Sampler.Next(space, trials, seed);
}
