using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>
/// Random search: <c>trials</c> distinct points drawn from the space (log-uniform where a range says log). The
/// n-th proposal depends only on the seed and n, so a resumed study draws what the uninterrupted one would.
/// </summary>
public sealed class RandomTuner(SearchSpace space, int trials, int epochs, long seed, IReadOnlyList<ParameterSet>? enqueued = null) : ITuner
{
    public string Name => "random";
    /// <summary>The points enqueued with the study, tried first.</summary>
    public IReadOnlyList<ParameterSet> Initial() => enqueued ?? [];
    public double EstimatedEpochs => (double)trials * epochs;

    public Proposal Propose(IReadOnlyList<Trial> existing)
    {
        if (existing.Count >= trials) return new Proposal.Done();
        var point = Sampler.Next(space, existing, seed);
        return point is null ? new Proposal.Done() : new Proposal.NewTrial(point, epochs);
    }
}

/// <summary>Draws points not yet in the study: a seeded shuffle of the grid for finite spaces, random samples otherwise.</summary>
public static class Sampler
{
    public static ParameterSet? Next(SearchSpace space, IReadOnlyList<Trial> existing, long seed)
    {
        var seen = existing.Select(t => t.Parameters.Key).ToHashSet();
        if (space.Parameters.All(p => p is Choice) && space.GridSize <= 100_000)
        {
            var grid = space.Grid().ToList();
            new Random(unchecked((int)seed)).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(grid));
            return grid.FirstOrDefault(p => !seen.Contains(p.Key));
        }
        var random = new Random(unchecked((int)(seed * 7919 + existing.Count)));
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            var point = space.Sample(random);
            if (!seen.Contains(point.Key)) return point;
        }
        return null;
    }
}
