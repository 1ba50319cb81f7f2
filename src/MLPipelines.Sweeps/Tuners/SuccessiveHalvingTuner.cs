using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2018). Every configuration first trains to the lowest rung
/// (<c>minEpochs</c>); a trial that is among the best 1/eta of those that reached its rung is promoted: resumed from
/// its checkpoint and trained to the next rung (eta times more epochs), up to the full epochs. The others stop there
/// (pruned). A worker asking for work gets a promotion when one is due, else a new configuration, so no worker waits
/// for a rung to fill. Compute is about (1 + K(1 - 1/eta)) / eta^K of the grid's for K rungs above the first.
/// New configurations come from <see cref="IConfigurationSampler"/>: random draws (<c>asha</c>) or TPE (<c>tpe-asha</c>).
/// </summary>
public sealed class SuccessiveHalvingTuner : ITuner
{
    private readonly int configurations;
    private readonly IConfigurationSampler sampler;

    public SuccessiveHalvingTuner(SearchSpace space, int configurations, int epochs, int eta, int minEpochs, long seed,
        IConfigurationSampler? sampler = null)
    {
        if (eta < 2) throw new ArgumentException($"eta must be at least 2 (got {eta})");
        if (minEpochs < 1 || minEpochs > epochs) throw new ArgumentException($"min epochs must be between 1 and the epochs ({epochs}) (got {minEpochs})");
        this.configurations = configurations;
        this.sampler = sampler ?? new RandomSampler(space, seed);
        Eta = eta;
        Rungs = RungsFor(epochs, eta, minEpochs);
    }

    public string Name => sampler is TpeSampler ? "tpe-asha" : "asha";
    public int Eta { get; }

    /// <summary>The epochs at which trials are compared, ascending; the last is the full epochs.</summary>
    public IReadOnlyList<int> Rungs { get; }

    /// <summary>Epochs / eta^k rounded, for every k that stays at or above minEpochs: 9 epochs, eta 3 → 1, 3, 9.</summary>
    public static IReadOnlyList<int> RungsFor(int epochs, int eta, int minEpochs)
    {
        var rungs = new SortedSet<int>();
        for (double r = epochs; Math.Round(r) >= minEpochs; r /= eta) rungs.Add((int)Math.Round(r));
        rungs.Add(minEpochs);
        return rungs.ToList();
    }

    public IReadOnlyList<ParameterSet> Initial() => [];

    public double EstimatedEpochs
    {
        get
        {
            double total = 0, n = configurations;
            for (int k = 0; k < Rungs.Count; k++)
            {
                total += n * (Rungs[k] - (k == 0 ? 0 : Rungs[k - 1]));
                n = Math.Floor(n / Eta);
            }
            return total;
        }
    }

    public Proposal Propose(IReadOnlyList<Trial> trials)
    {
        for (int k = Rungs.Count - 2; k >= 0; k--)
        {
            var promotable = Promotable(trials, k);
            if (promotable is not null) return new Proposal.Promote(promotable.Number, Rungs[k + 1]);
        }
        if (trials.Count >= configurations) return new Proposal.Done();
        var point = sampler.Next(trials);
        return point is null ? new Proposal.Done() : new Proposal.NewTrial(point, Rungs[0]);
    }

    /// <summary>A trial stopped at rung k that is among the best floor(n/eta) of the n trials that reached rung k.</summary>
    public Trial? Promotable(IReadOnlyList<Trial> trials, int k)
    {
        int rung = Rungs[k];
        var reached = trials.Where(t => t.State != TrialState.Failed && t.AccuracyAt(rung) is not null)
            .OrderByDescending(t => t.AccuracyAt(rung)).ThenBy(t => t.Number).ToList();
        int keep = reached.Count / Eta;
        return reached.Take(keep).FirstOrDefault(t => t.State == TrialState.Pruned && t.TargetEpochs == rung);
    }
}
