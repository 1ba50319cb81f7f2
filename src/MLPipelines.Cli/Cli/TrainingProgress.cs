using MLPipelines.Core.Runs;
using System.Globalization;
using MLPipelines.Training;

namespace MLPipelines.Cli.Cli;

/// <summary>Shows a training run on the console (bar with loss and ETA, a line per epoch) and in the run's log.</summary>
public sealed class TrainingProgress(RunFolder? run) : ITrainingObserver
{
    private TrainingPlan? plan;

    public IProgressSink? Sink { get; set; }

    public double TotalBatches(TrainingPlan p) => (double)p.Epochs * p.BatchesPerEpoch;

    public void OnStart(TrainingPlan p)
    {
        plan = p;
        string where = p.StartEpoch > 1 || p.StartBatch > 0 ? $" (resuming at epoch {p.StartEpoch}, batch {p.StartBatch})" : "";
        Sink?.Line($"training: {p.Epochs} epochs x {p.BatchesPerEpoch} batches, {p.Threads} threads{where}");
        run?.Log($"start epochs={p.Epochs} batches={p.BatchesPerEpoch} threads={p.Threads} at epoch {p.StartEpoch} batch {p.StartBatch}");
    }

    public void OnBatch(BatchReport r)
    {
        if (plan is null) return;
        double done = (double)(r.Epoch - 1) * r.BatchesPerEpoch + r.Batch + 1;
        Sink?.Report(done, string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}/{plan.Epochs} loss {r.Loss:F4}"));
    }

    public void OnEpochEnd(TestPoint t)
    {
        string text = double.IsNaN(t.Loss)
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {t.Epoch}: {t.EpochSeconds:F2} s training")
            : t.Epoch == 0
            ? string.Create(CultureInfo.InvariantCulture, $"before training: test loss {t.Loss:F4}, accuracy {t.Accuracy:P2}")
            : string.Create(CultureInfo.InvariantCulture, $"epoch {t.Epoch}: test loss {t.Loss:F4}, accuracy {t.Accuracy:P2}, {t.EpochSeconds:F2} s training");
        Sink?.Line(text);
        run?.Log(text);
    }

    public void OnCheckpoint(string path) => run?.Log($"checkpoint {path}");
}
