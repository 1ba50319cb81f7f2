using System.Globalization;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// A monitor that reports through <see cref="IProgress{WorkProgress}"/>: epochs across the study as units of
/// <paramref name="totalEpochs"/> (the tuner's estimate), a line per finished trial and per new best. With a
/// <paramref name="budget"/> the bar follows whichever ends first, the epochs or the time.
/// </summary>
public sealed class ProgressStudyMonitor(IProgress<WorkProgress>? progress, double totalEpochs, double epochsAlready = 0, string? prefix = null,
    TimeSpan? budget = null) : IStudyMonitor
{
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private double epochs = epochsAlready;

    public void ReportRunningTrial(Trial trial) =>
        Bar($"{prefix}trial {trial.Number}: {trial.Parameters} (to epoch {trial.TargetEpochs})");

    public void ReportEpoch(Trial trial, EpochRecord record)
    {
        if (record.Epoch > 0) epochs++;
        Bar(string.Create(CultureInfo.InvariantCulture, $"{prefix}trial {trial.Number} epoch {record.Epoch}: {record.TestAccuracy:P2}"));
    }

    public void ReportCompletedTrial(Trial trial) => progress?.Report(WorkProgress.Line(prefix + trial.Describe()));

    public void ReportBestTrial(Trial trial) =>
        progress?.Report(WorkProgress.Line(string.Create(CultureInfo.InvariantCulture, $"{prefix}  best so far: trial {trial.Number}, {trial.Accuracy:P2}")));

    public void ReportFailTrial(Trial trial, Exception error) =>
        progress?.Report(WorkProgress.Line($"{prefix}trial {trial.Number} ({trial.Parameters}) failed: {error.Message.ReplaceLineEndings(" ")}"));

    private void Bar(string status) => progress?.Report(Fraction(epochs, totalEpochs, clock.Elapsed, budget, status));

    /// <summary>The study's progress: epochs of the estimate, or the time of the budget when that is further along.</summary>
    public static WorkProgress Fraction(double epochs, double totalEpochs, TimeSpan elapsed, TimeSpan? budget, string status)
    {
        double total = Math.Max(totalEpochs, epochs + 1);
        if (budget is { TotalSeconds: > 0 } b && elapsed.TotalSeconds / b.TotalSeconds > epochs / total)
            return new WorkProgress(Math.Min(elapsed.TotalSeconds, b.TotalSeconds), b.TotalSeconds, status);
        return new WorkProgress(epochs, total, status);
    }
}
