using System.Collections.Concurrent;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Tests.Support;

/// <summary>
/// A trial runner for engine tests: accuracy is a known function of the parameters and the epoch (the same ranking at
/// every epoch), the "checkpoint" is the epoch number, and every epoch it trains is recorded, so a test can check that
/// no epoch ran twice and that resumed trials start where they stopped.
/// </summary>
public sealed class FakeRunner(int millisecondsPerEpoch = 0) : ITrialRunner
{
    public ConcurrentQueue<(int Trial, int Epoch)> Trained { get; } = new();
    public ConcurrentQueue<(int Trial, int FromEpoch)> Starts { get; } = new();
    /// <summary>Cancelled by the test to simulate Ctrl+C once this many epochs have been trained (0: never).</summary>
    public int StopAfterEpochs { get; set; }
    public CancellationTokenSource? StopSource { get; set; }

    /// <summary>Best at small batch and dropout, kernel 5 a little better; rises with the epochs.</summary>
    public static double Accuracy(ParameterSet p, int epoch)
    {
        double quality = 0.99 - 0.0001 * p["batch"] - 0.01 * p["dropout"] + (p["kernel"] == 5 ? 0.002 : 0);
        return 0.1 + (quality - 0.1) * (1 - Math.Exp(-epoch / 2.0));
    }

    public bool Run(TrialSettings settings, ITrialReporter reporter, CancellationToken cancel)
    {
        var t = settings.Trial;
        int from = settings.Checkpoint is null ? 0 : BitConverter.ToInt32(settings.Checkpoint);
        Starts.Enqueue((t.Number, from));
        if (from == 0 && !reporter.ReportEpoch(new EpochRecord(0, 0.1, 2.3, double.NaN, 0), null, Use())) return false;
        for (int e = from + 1; e <= t.TargetEpochs; e++)
        {
            if (cancel.IsCancellationRequested) return false;
            if (millisecondsPerEpoch > 0) Thread.Sleep(millisecondsPerEpoch);
            Trained.Enqueue((t.Number, e));
            if (!reporter.ReportEpoch(new EpochRecord(e, Accuracy(t.Parameters, e), 0.5 / e, 0.6 / e, 0.01), BitConverter.GetBytes(e), Use()))
                return false;
            if (StopAfterEpochs > 0 && Trained.Count >= StopAfterEpochs) StopSource?.Cancel();
        }
        return true;
    }

    private static ResourceUse Use() => new(0.01, 0.01, 100, 1);

    public void Dispose() { }
}
