using System.Globalization;
using System.Text;

namespace MLPipelines.Training;

/// <summary>A train-loss point: the loss of one batch, logged every LogInterval batches.</summary>
public sealed record TrainLossPoint(long ExamplesSeen, int Epoch, int Batch, double Loss);

/// <summary>Test loss and accuracy after an epoch (epoch 0 = before training).</summary>
public sealed record TestPoint(long ExamplesSeen, int Epoch, double Loss, double Accuracy, double EpochSeconds);

/// <summary>The curves of a training run: what the assignment's train/test loss figure is drawn from.</summary>
public sealed class TrainingHistory
{
    public List<TrainLossPoint> Train { get; init; } = [];
    public List<TestPoint> Test { get; init; } = [];

    public string TrainCsv()
    {
        var sb = new StringBuilder("examples_seen,epoch,batch,loss\n");
        foreach (var p in Train)
            sb.Append(CultureInfo.InvariantCulture, $"{p.ExamplesSeen},{p.Epoch},{p.Batch},{p.Loss:R}\n");
        return sb.ToString();
    }

    public string TestCsv()
    {
        var sb = new StringBuilder("examples_seen,epoch,test_loss,test_accuracy,epoch_seconds\n");
        foreach (var p in Test)
            sb.Append(CultureInfo.InvariantCulture, $"{p.ExamplesSeen},{p.Epoch},{p.Loss:R},{p.Accuracy:R},{p.EpochSeconds:F3}\n");
        return sb.ToString();
    }
}
