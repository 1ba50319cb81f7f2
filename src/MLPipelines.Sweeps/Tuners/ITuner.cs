using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tuners;

/// <summary>What a tuner asks for next.</summary>
public abstract record Proposal
{
    /// <summary>Train a new configuration for <paramref name="Epochs"/> epochs.</summary>
    public sealed record NewTrial(ParameterSet Parameters, int Epochs) : Proposal;

    /// <summary>Resume trial <paramref name="Number"/> from its checkpoint and train it up to <paramref name="Epochs"/>.</summary>
    public sealed record Promote(int Number, int Epochs) : Proposal;

    /// <summary>Nothing more to propose now (the study is finished once no trial runs).</summary>
    public sealed record Done : Proposal;
}

/// <summary>
/// Proposes configurations, as ML.NET AutoML's <c>ITuner.Propose</c>. AutoML's tuners keep what they learnt in
/// memory and hear results through <c>Update</c>; here the study's storage is the tuner's memory, because workers in
/// other processes (or machines) finish trials too: <see cref="Propose"/> is a function of every trial so far,
/// called under the study's lock, so two workers never get the same proposal.
/// </summary>
public interface ITuner
{
    string Name { get; }

    /// <summary>Configurations queued when the study is created, in order (grid and one-factor tuners queue them all).</summary>
    IReadOnlyList<ParameterSet> Initial();

    /// <summary>The next piece of work, given every trial of the study so far.</summary>
    Proposal Propose(IReadOnlyList<Trial> trials);

    /// <summary>Epochs the whole study will train (for progress and ETA).</summary>
    double EstimatedEpochs { get; }
}
