using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>
/// One factor at a time around a base point (the assignment's own table): the base, then each parameter moved
/// through its grid values while the others keep their base values. Queued up front.
/// </summary>
public sealed class OneFactorTuner : ITuner
{
    private readonly SearchSpace space;
    private readonly int epochs;

    public OneFactorTuner(SearchSpace space, ParameterSet basePoint, int epochs)
    {
        this.space = space;
        this.epochs = epochs;
        space.Validate(basePoint);
        Base = new ParameterSet(space.Parameters.Select(p => new KeyValuePair<string, double>(p.Name, basePoint[p.Name])));
    }

    public ParameterSet Base { get; }
    public string Name => "ofat";

    public IReadOnlyList<ParameterSet> Initial()
    {
        var points = new List<ParameterSet> { Base };
        foreach (var p in space.Parameters)
            foreach (double v in p.GridValues)
            {
                var point = Base.With(p.Name, v);
                if (!points.Contains(point)) points.Add(point);
            }
        return points;
    }

    public Proposal Propose(IReadOnlyList<Trial> trials) => new Proposal.Done();
    public double EstimatedEpochs => (double)Initial().Count * epochs;

    /// <summary>The factor a point varies from the base (null for the base itself or a point that varies several).</summary>
    public static string? VariedFactor(ParameterSet basePoint, ParameterSet point)
    {
        var differing = point.Names.Where(n => !basePoint.TryGet(n, out double b) || b != point[n]).ToList();
        return differing.Count == 1 ? differing[0] : null;
    }
}
