using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Tests;

/// <summary>TPE on a known surface: the assignment's space plus a log-scale learning rate and a momentum.</summary>
[TestClass]
public sealed class TpeTunerTests
{
    private static readonly SearchSpace Space =
        SearchSpace.Parse("dropout=0.3..0.7;batch=40,80,100,120,150;kernel=4,5;lr=0.001..0.1:log;momentum=0.0..0.95");

    /// <summary>A digit-network-like surface: best near lr 0.03 with high momentum, small batches, kernel 5, little dropout.</summary>
    private static double Accuracy(ParameterSet p)
    {
        double lr = Math.Log10(p["lr"]) - Math.Log10(0.03);
        double effective = Math.Log10(p["lr"] / (1 - p["momentum"])) - Math.Log10(0.3);
        return 0.99 - 0.02 * lr * lr - 0.015 * effective * effective - 0.00003 * p["batch"] - 0.01 * Math.Abs(p["dropout"] - 0.35)
               + (p["kernel"] == 5 ? 0.001 : 0);
    }

    private static List<double> Run(ITuner tuner, int trials)
    {
        var done = new List<Trial>();
        var best = new List<double>();
        for (int i = 0; i < trials; i++)
        {
            var proposal = (Proposal.NewTrial)tuner.Propose(done);
            Space.Validate(proposal.Parameters);
            double accuracy = Accuracy(proposal.Parameters);
            done.Add(new Trial
            {
                Study = "t", Number = i, State = TrialState.Complete, Parameters = proposal.Parameters, TargetEpochs = 1,
                History = [new EpochRecord(0, 0.1, 2, 2, 0), new EpochRecord(1, accuracy, 0.1, 0.1, 1)],
            });
            best.Add(Math.Max(accuracy, best.Count == 0 ? 0 : best[^1]));
        }
        return best;
    }

    /// <summary>
    /// Over ten seeds TPE ends higher than random search and gets to random search's final best sooner. (Measured: 20 of
    /// 30 trials on average; the issue's target, half, is for the real network: docs/sweeps.md has that comparison.)
    /// </summary>
    [TestMethod]
    public void BeatsRandomSearchOnAKnownSurface()
    {
        const int Trials = 30, Seeds = 10;
        var reached = new List<int>();
        double tpeBest = 0, randomBest = 0;
        for (long seed = 1; seed <= Seeds; seed++)
        {
            var random = Run(new RandomTuner(Space, Trials, 1, seed), Trials);
            var tpe = Run(new TpeTuner(Space, Trials, 1, seed, TpeSampler.StartupFor(Trials)), Trials);
            int at = tpe.FindIndex(b => b >= random[^1]);
            reached.Add(at < 0 ? Trials + 1 : at + 1);
            tpeBest += tpe[^1] / Seeds;
            randomBest += random[^1] / Seeds;
        }
        Console.WriteLine($"best after {Trials}: tpe {tpeBest:F4}, random {randomBest:F4}; trials tpe needed for random's best: {string.Join(", ", reached)} (mean {reached.Average():F1})");
        Assert.IsGreaterThan(randomBest, tpeBest, "TPE's best, averaged over the seeds");
        Assert.IsLessThan(25, reached.Average(), $"trials TPE needed: {string.Join(", ", reached)}");
    }

    [TestMethod]
    public void ProposesNewPointsOfTheSpace_AsAFunctionOfTheTrials()
    {
        var tuner = new TpeTuner(Space, 20, 1, seed: 3, startupTrials: 4);
        var trials = new List<Trial>();
        for (int i = 0; i < 12; i++)
        {
            var p = ((Proposal.NewTrial)tuner.Propose(trials)).Parameters;
            Space.Validate(p);
            Assert.IsFalse(trials.Any(t => t.Parameters.Key == p.Key), $"{p} proposed twice");
            trials.Add(new Trial
            {
                Study = "t", Number = i, State = TrialState.Complete, Parameters = p, TargetEpochs = 1,
                History = [new EpochRecord(1, Accuracy(p), 0, 0, 1)],
            });
        }
        var again = new TpeTuner(Space, 20, 1, seed: 3, startupTrials: 4);
        Assert.AreEqual(((Proposal.NewTrial)tuner.Propose(trials)).Parameters, ((Proposal.NewTrial)again.Propose(trials)).Parameters,
            "another worker, given the same trials, proposes the same point");
        Assert.IsInstanceOfType<Proposal.Done>(new TpeTuner(Space, 12, 1, 3, 4).Propose(trials));
    }

    [TestMethod]
    public void EnqueuedPoints_AreQueuedFirstInTheSpacesOrder_AndPointsOutsideTheSpaceAreRefused()
    {
        var names = Space.Parameters.Select(p => p.Name).ToList();
        var point = Space.Sample(new Random(5));
        string reversed = string.Join(';', point.Values.Reverse().Select(v => $"{v.Key}={ParameterSpec.Format(v.Value)}"));
        var config = new StudyConfig { Name = "t", Tuner = "tpe", Space = Space.ToString(), Trials = 10, Enqueued = [reversed] };
        var initial = TunerFactory.Create(config).Initial();
        Assert.HasCount(1, initial);
        Assert.AreEqual(point.Key, initial[0].Key);
        CollectionAssert.AreEqual(names, initial[0].Names.ToList(), "in the space's order");

        var outside = config with { Enqueued = [string.Join(';', names.Select(n => $"{n}=1e9"))] };
        Assert.ThrowsExactly<ArgumentException>(() => TunerFactory.Create(outside));
        var grid = config with { Tuner = "grid" };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TunerFactory.Create(grid)).Message, "tpe and random");
    }

    [TestMethod]
    public void WithSuccessiveHalving_TpeProposesAndAshaPromotes()
    {
        var config = new StudyConfig { Name = "t", Tuner = "tpe-asha", Space = Space.ToString(), Trials = 9, Epochs = 9, Eta = 3, MinEpochs = 1 };
        var tuner = (SuccessiveHalvingTuner)TunerFactory.Create(config);
        Assert.AreEqual("tpe-asha", tuner.Name);
        var trials = new List<Trial>();
        for (int i = 0; i < 3; i++)
        {
            var n = (Proposal.NewTrial)tuner.Propose(trials);
            Assert.AreEqual(1, n.Epochs, "new configurations start at the first rung");
            trials.Add(new Trial
            {
                Study = "t", Number = i, State = TrialState.Pruned, Parameters = n.Parameters, TargetEpochs = 1,
                History = [new EpochRecord(1, Accuracy(n.Parameters), 0, 0, 1)],
            });
        }
        var promote = (Proposal.Promote)tuner.Propose(trials);
        Assert.AreEqual(trials.MaxBy(t => t.Accuracy)!.Number, promote.Number);
        Assert.AreEqual(3, promote.Epochs);
    }
}
