namespace MLPipelines.Sweeps.Trials;

/// <summary>
/// Test accuracy and loss after an epoch (epoch 0: before training), the mean training loss of the epoch
/// (NaN at epoch 0) and the epoch's training seconds.
/// </summary>
public sealed record EpochRecord(int Epoch, double TestAccuracy, double TestLoss, double TrainLoss, double Seconds);
