using MLPipelines.Sweeps.Space;

namespace MLPipelines.Sweeps.Trials;

/// <summary>
/// One configuration of a study and what training it did: the value after each epoch, times, memory, the seed.
/// <see cref="TargetEpochs"/> is how far its current (or last) job trains; successive halving raises it when
/// it promotes the trial. <see cref="Attempts"/> counts claims (a re-queued trial is claimed again and resumes).
/// </summary>
public sealed record Trial
{
    public required string Study { get; init; }
    public required int Number { get; init; }
    public required TrialState State { get; init; }
    public required ParameterSet Parameters { get; init; }
    public required int TargetEpochs { get; init; }
    public long Seed { get; init; }
    public string? Worker { get; init; }
    public DateTime? Heartbeat { get; init; }
    public int Attempts { get; init; }
    public DateTime Created { get; init; }
    public DateTime? Started { get; init; }
    public DateTime? Finished { get; init; }
    public IReadOnlyList<EpochRecord> History { get; init; } = [];
    /// <summary>Seconds of wall time and of CPU time spent on the epochs in <see cref="History"/> (evaluations included).</summary>
    public double WallSeconds { get; init; }
    public double CpuSeconds { get; init; }
    public double PeakMemoryMb { get; init; }
    public int Threads { get; init; }
    public string? Error { get; init; }

    public int EpochsDone => History.Count == 0 ? 0 : History.Max(h => h.Epoch);
    public double? AccuracyBefore => History.FirstOrDefault(h => h.Epoch == 0)?.TestAccuracy;
    public EpochRecord? Last => History.Count == 0 ? null : History.MaxBy(h => h.Epoch);
    public double? Accuracy => EpochsDone > 0 ? Last!.TestAccuracy : null;

    /// <summary>The test accuracy after <paramref name="epoch"/> epochs, when the trial got that far.</summary>
    public double? AccuracyAt(int epoch) => History.FirstOrDefault(h => h.Epoch == epoch)?.TestAccuracy;

    /// <summary>Training seconds per epoch (evaluations excluded): comparable between trials of different lengths.</summary>
    public double? SecondsPerEpoch
    {
        get
        {
            var trained = History.Where(h => h.Epoch > 0).ToList();
            return trained.Count == 0 ? null : trained.Average(h => h.Seconds);
        }
    }

    /// <summary>
    /// CPU seconds per epoch trained (the trial's evaluations included): the time measure that other processes on the
    /// machine disturb least, since a busy machine stretches wall time but not the work done.
    /// </summary>
    public double? CpuSecondsPerEpoch => EpochsDone > 0 && CpuSeconds > 0 ? CpuSeconds / EpochsDone : null;

    public override string ToString() => $"trial {Number} ({Parameters})";

    /// <summary>One line: number, state, parameters, accuracy before and after, epochs, seconds.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"trial {Number,3} {State.ToText(),-8} {Parameters}: {AccuracyBefore:P2} -> {Accuracy:P2} after {EpochsDone} epochs, {WallSeconds:F1} s");
}
