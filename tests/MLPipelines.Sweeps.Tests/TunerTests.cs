using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Tests;

[TestClass]
public sealed class TunerTests
{
    private static Trial At(int number, string point, int epochs, TrialState state, Func<int, double> accuracy) => new()
    {
        Study = "t", Number = number, State = state, Parameters = ParameterSet.Parse(point), TargetEpochs = epochs,
        History = Enumerable.Range(0, epochs + 1).Select(e => new EpochRecord(e, e == 0 ? 0.1 : accuracy(e), 1, 1, 1)).ToList(),
    };

    [TestMethod]
    public void OneFactorQueuesTheBaseAndEachFactorsValuesOnce()
    {
        var tuner = new OneFactorTuner(SearchSpace.Assignment, SearchSpace.AssignmentBase, 3);
        var points = tuner.Initial();
        Assert.AreEqual(1 + 4 + 4 + 1, points.Count);
        Assert.AreEqual(SearchSpace.AssignmentBase, points[0]);
        foreach (var p in points.Skip(1)) Assert.IsNotNull(OneFactorTuner.VariedFactor(SearchSpace.AssignmentBase, p), p.ToString());
        Assert.AreEqual(5, points.Count(p => p["batch"] == 100 && p["kernel"] == 5), "the five dropout values");
    }

    [TestMethod]
    public void RandomDrawsDistinctPointsTheSameWayEachTime()
    {
        var space = SearchSpace.Parse("lr=0.001..0.1:log;momentum=0.5,0.9");
        var tuner = new RandomTuner(space, 6, 2, seed: 5);
        var trials = new List<Trial>();
        for (int i = 0; i < 10; i++)
        {
            if (tuner.Propose(trials) is not Proposal.NewTrial n) break;
            space.Validate(n.Parameters);
            trials.Add(new Trial { Study = "t", Number = i, State = TrialState.Complete, Parameters = n.Parameters, TargetEpochs = 2 });
        }
        Assert.AreEqual(6, trials.Count);
        Assert.AreEqual(6, trials.Select(t => t.Parameters.Key).Distinct().Count());
        var again = new RandomTuner(space, 6, 2, seed: 5).Propose(trials.Take(3).ToList());
        Assert.AreEqual(trials[3].Parameters, ((Proposal.NewTrial)again).Parameters, "the n-th draw depends only on the seed and n");
    }

    [TestMethod]
    public void RungsAreTheEpochsDividedByEta()
    {
        CollectionAssert.AreEqual(new[] { 1, 3, 9 }, SuccessiveHalvingTuner.RungsFor(9, 3, 1).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 3, 10 }, SuccessiveHalvingTuner.RungsFor(10, 3, 1).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 4 }, SuccessiveHalvingTuner.RungsFor(4, 2, 1).ToArray());
        CollectionAssert.AreEqual(new[] { 2, 6 }, SuccessiveHalvingTuner.RungsFor(6, 3, 2).ToArray());
        var tuner = new SuccessiveHalvingTuner(SearchSpace.Assignment, 50, 9, 3, 1, 1);
        Assert.AreEqual(50 * 1 + 16 * 2 + 5 * 6, tuner.EstimatedEpochs);
        Assert.IsTrue(tuner.EstimatedEpochs <= 50 * 9 / 3.0);
    }

    [TestMethod]
    public void PromotesTheBestThirdOfARungAndOtherwiseStartsNewConfigurations()
    {
        var tuner = new SuccessiveHalvingTuner(SearchSpace.Assignment, 50, 9, 3, 1, 1);
        Assert.IsInstanceOfType<Proposal.NewTrial>(tuner.Propose([]));
        Assert.AreEqual(1, ((Proposal.NewTrial)tuner.Propose([])).Epochs);
        var trials = new List<Trial>
        {
            At(0, "dropout=0.3;batch=40;kernel=4", 1, TrialState.Pruned, _ => 0.90),
            At(1, "dropout=0.3;batch=80;kernel=4", 1, TrialState.Pruned, _ => 0.95),
        };
        Assert.IsInstanceOfType<Proposal.NewTrial>(tuner.Propose(trials), "two at the rung: floor(2/3) = 0 promotions");
        trials.Add(At(2, "dropout=0.3;batch=100;kernel=4", 1, TrialState.Pruned, _ => 0.93));
        var promote = (Proposal.Promote)tuner.Propose(trials);
        Assert.AreEqual(1, promote.Number);
        Assert.AreEqual(3, promote.Epochs);
        trials[1] = At(1, "dropout=0.3;batch=80;kernel=4", 3, TrialState.Running, e => 0.95 + e / 1000.0);
        Assert.IsInstanceOfType<Proposal.NewTrial>(tuner.Propose(trials), "the best is already promoted");
    }

    [TestMethod]
    public void UnknownTunersAreNamedInTheError()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => TunerFactory.Normalize("bayes"));
        Assert.AreEqual("unknown tuner 'bayes' (known: grid, random, ofat, asha, tpe, tpe-asha)", e.Message);
        Assert.AreEqual("asha", TunerFactory.Normalize("Successive-Halving"));
    }
}
