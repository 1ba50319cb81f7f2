using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>Every combination of the space's grid values, queued up front in a fixed order (the assignment's 50).</summary>
public sealed class GridTuner(SearchSpace space, int epochs) : ITuner
{
    public string Name => "grid";
    public IReadOnlyList<ParameterSet> Initial() => space.Grid().ToList();
    public Proposal Propose(IReadOnlyList<Trial> trials) => new Proposal.Done();
    public double EstimatedEpochs => (double)space.GridSize * epochs;
}
