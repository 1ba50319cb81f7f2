using System.Text.Json.Serialization;

namespace MLPipelines.Training;

[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind { Sgd, Adam, AdamW }

[JsonConverter(typeof(JsonStringEnumConverter<LearningRateSchedule>))]
public enum LearningRateSchedule { Constant, Cosine, OneCycle }

/// <summary>
/// Every hyper-parameter of a training run. The defaults are the assignment's recipe (SGD, learning rate
/// 0.01, momentum 0.5, batch 64, NLL loss, test batch 1000, a train-loss point every 10 batches).
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public double LearningRate { get; init; } = 0.01;
    public double Momentum { get; init; } = 0.5;
    public bool Nesterov { get; init; }
    public double WeightDecay { get; init; }
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>Fraction of all steps spent warming up in the one-cycle schedule.</summary>
    public double WarmupFraction { get; init; } = 0.15;
    public int TestBatchSize { get; init; } = 1000;
    /// <summary>A train-loss point every this many batches (the assignment's log_interval).</summary>
    public int LogInterval { get; init; } = 10;
    public long Seed { get; init; } = 1;
    /// <summary>libtorch intra-op threads; 0 = one per core. Bit-identical results need the same count.</summary>
    public int Threads { get; init; }
    /// <summary>Shuffle the training set each epoch (seeded by Seed and the epoch).</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>Use at most this many training images (0 = all): quick runs and tests.</summary>
    public int TrainLimit { get; init; }
    /// <summary>Use at most this many test images (0 = all).</summary>
    public int TestLimit { get; init; }
    /// <summary>
    /// Stop after the first epoch whose evaluated accuracy reaches this (0 = run every epoch). Evaluating the
    /// training set itself with 1 stops once the training set is learned.
    /// </summary>
    public double StopAtAccuracy { get; init; }

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {Epochs})");
        if (BatchSize < 1) throw new ArgumentException($"batch size must be at least 1 (got {BatchSize})");
        if (TestBatchSize < 1) throw new ArgumentException($"test batch size must be at least 1 (got {TestBatchSize})");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning rate must be positive (got {LearningRate})");
        if (Momentum is < 0 or >= 1) throw new ArgumentException($"momentum must be in [0, 1) (got {Momentum})");
        if (WeightDecay < 0) throw new ArgumentException($"weight decay must not be negative (got {WeightDecay})");
        if (LogInterval < 1) throw new ArgumentException($"log interval must be at least 1 (got {LogInterval})");
        if (Threads < 0) throw new ArgumentException($"threads must not be negative (got {Threads})");
        if (TrainLimit < 0 || TestLimit < 0) throw new ArgumentException("limits must not be negative");
        if (StopAtAccuracy is < 0 or > 1) throw new ArgumentException($"stop-at accuracy must be in [0, 1] (got {StopAtAccuracy})");
        if (WarmupFraction is < 0 or >= 1) throw new ArgumentException($"warm-up fraction must be in [0, 1) (got {WarmupFraction})");
    }
}
