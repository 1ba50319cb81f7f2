using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>
/// Model-based search: <c>trials</c> configurations, each trained for the full epochs, chosen by
/// <see cref="TpeSampler"/> from the results so far. For pruning as well, successive halving takes the same
/// sampler (tuner <c>tpe-asha</c>, <see cref="SuccessiveHalvingTuner"/>).
/// </summary>
public sealed class TpeTuner(SearchSpace space, int trials, int epochs, long seed, int startupTrials, IReadOnlyList<ParameterSet>? enqueued = null) : ITuner
{
    private readonly TpeSampler sampler = new(space, seed, startupTrials);

    public string Name => "tpe";
    /// <summary>The points enqueued with the study (known-good defaults), tried first; they count among the startup trials.</summary>
    public IReadOnlyList<ParameterSet> Initial() => enqueued ?? [];
    public double EstimatedEpochs => (double)trials * epochs;

    public Proposal Propose(IReadOnlyList<Trial> existing)
    {
        if (existing.Count >= trials) return new Proposal.Done();
        var point = sampler.Next(existing);
        return point is null ? new Proposal.Done() : new Proposal.NewTrial(point, epochs);
    }
}
