using System.Globalization;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Cli.Cli;

/// <summary>Shows a worker's trials on the console: the bar counts epochs across the study, a line per finished trial.</summary>
public sealed class SweepConsoleMonitor(IProgressSink sink, double epochsAlready, string? prefix = null) : IStudyMonitor
{
    private double epochs = epochsAlready;

    public void ReportRunningTrial(Trial trial) =>
        sink.Report(epochs, $"{prefix}trial {trial.Number}: {trial.Parameters} (to epoch {trial.TargetEpochs})");

    public void ReportEpoch(Trial trial, EpochRecord record)
    {
        if (record.Epoch > 0) epochs++;
        sink.Report(epochs, string.Create(CultureInfo.InvariantCulture,
            $"{prefix}trial {trial.Number} epoch {record.Epoch}: {record.TestAccuracy:P2}"));
    }

    public void ReportCompletedTrial(Trial trial) => sink.Line(prefix + Describe(trial));

    public void ReportBestTrial(Trial trial) =>
        sink.Line(string.Create(CultureInfo.InvariantCulture, $"{prefix}  best so far: trial {trial.Number}, {trial.Accuracy:P2}"));

    public void ReportFailTrial(Trial trial, Exception error) =>
        sink.Line($"{prefix}trial {trial.Number} ({trial.Parameters}) failed: {error.Message.ReplaceLineEndings(" ")}");

    public static string Describe(Trial t) => string.Create(CultureInfo.InvariantCulture,
        $"trial {t.Number,3} {t.State.ToText(),-8} {t.Parameters}: {t.AccuracyBefore:P2} -> {t.Accuracy:P2} after {t.EpochsDone} epochs, {t.WallSeconds:F1} s");
}
