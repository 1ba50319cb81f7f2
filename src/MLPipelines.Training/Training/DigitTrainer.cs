using System.Diagnostics;
using MLPipelines.Models;
using MLPipelines.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Training;

/// <summary>
/// Trains a <see cref="DigitNet"/> with NLL loss. Seeded and deterministic: the same seed and thread count give
/// bit-identical weights, and a run resumed from any checkpoint (an epoch's end or a Ctrl+C mid-epoch)
/// ends exactly where the uninterrupted run would. The shuffle order of an epoch depends only on the seed and
/// the epoch, and the checkpoint carries libtorch's generator state for dropout. With more than one thread each batch
/// is split between them (<see cref="ShardedGradients"/>), libtorch serial inside each shard.
/// </summary>
public sealed class DigitTrainer : IDisposable
{
    private readonly DigitNet model;
    private readonly TensorDataset train;
    private readonly TensorDataset? test;
    private readonly ITrainingObserver observer;
    private readonly optim.Optimizer optimizer;
    private readonly List<TorchSharp.Modules.Parameter> trainable;
    private ShardedGradients? shards;
    private CheckpointState state;

    /// <param name="test">Evaluated before training and after each epoch (the test curve); none when null.</param>
    /// <param name="checkpointDirectory">Where epoch and interruption checkpoints go; none are written when null.</param>
    public DigitTrainer(DigitNet model, TrainingOptions options, TensorDataset train, TensorDataset? test,
        string? checkpointDirectory = null, ITrainingObserver? observer = null)
    {
        options.Validate();
        this.model = model;
        this.train = train;
        this.test = test;
        this.observer = observer ?? new NullObserver();
        CheckpointDirectory = checkpointDirectory;
        trainable = model.parameters().Where(p => p.requires_grad).ToList();
        optimizer = options.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(trainable, options.LearningRate, weight_decay: options.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(trainable, options.LearningRate, weight_decay: options.WeightDecay),
            _ => optim.SGD(trainable, options.LearningRate, options.Momentum, weight_decay: options.WeightDecay, nesterov: options.Nesterov),
        };
        state = new CheckpointState { Model = model.Options, Training = options };
    }

    public string? CheckpointDirectory { get; }
    public CheckpointState State => state;
    public TrainingOptions Options => state.Training;

    private int TrainCount => Options.TrainLimit > 0 ? Math.Min(Options.TrainLimit, train.Count) : train.Count;
    public int BatchesPerEpoch => (TrainCount + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Continues from a checkpoint written by a run with the same options.</summary>
    public void Restore(string checkpoint)
    {
        var saved = Checkpoint.ReadState(checkpoint);
        if (saved.Model != model.Options)
            throw new InvalidDataException($"{checkpoint}: the checkpoint's network ({saved.Model}) differs from this one ({model.Options})");
        Checkpoint.Restore(checkpoint, model, optimizer);
        state = saved;
    }

    public TrainingOutcome Run(CancellationToken cancel = default)
    {
        int threads = TorchRuntime.SetThreads(Options.Threads);
        if (threads > 1 && shards?.Threads != threads)
        {
            shards?.Dispose();
            shards = new ShardedGradients(threads);
        }
        int batches = BatchesPerEpoch;
        long totalSteps = (long)batches * Options.Epochs;
        observer.OnStart(new TrainingPlan(Options.Epochs, batches, state.Epoch, state.NextBatch, threads));
        string? last = null;

        if (state.History.Test.Count == 0 && test is not null)
            RecordTest(epoch: 0, examplesSeen: 0, epochSeconds: 0);

        model.train();
        double currentRate = double.NaN;
        while (!state.Finished)
        {
            int epoch = state.Epoch;
            var clock = Stopwatch.StartNew();
            double secondsBefore = state.TrainSeconds;
            using var order = Options.Shuffle ? Permutation(epoch) : null;
            // Sharded batches run libtorch on one thread per shard (ShardedGradients); the test pass uses them all.
            if (threads > 1) set_num_threads(1);
            try
            {
                for (int b = state.NextBatch; b < batches; b++)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        state = state with { NextBatch = b, TrainSeconds = secondsBefore + clock.Elapsed.TotalSeconds };
                        last = SaveCheckpoint("interrupted");
                        return new TrainingOutcome(false, state, last);
                    }
                    double rate = LearningRates.At(Options, state.Step, totalSteps);
                    if (rate != currentRate)
                    {
                        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
                        currentRate = rate;
                    }
                    long start = (long)b * Options.BatchSize;
                    long size = Math.Min(Options.BatchSize, TrainCount - start);
                    double loss = Step(order, start, size);
                    long seenBefore = state.ExamplesSeen;
                    state = state with { ExamplesSeen = seenBefore + size, Step = state.Step + 1 };
                    if (b % Options.LogInterval == 0)
                        state.History.Train.Add(new TrainLossPoint(seenBefore, epoch, b, loss));
                    observer.OnBatch(new BatchReport(epoch, b, batches, loss, rate, state.ExamplesSeen));
                }
            }
            finally
            {
                TorchRuntime.SetThreads(threads);
            }
            double epochSeconds = clock.Elapsed.TotalSeconds;
            state = state with { Epoch = epoch + 1, NextBatch = 0, TrainSeconds = secondsBefore + epochSeconds };
            if (test is not null)
            {
                RecordTest(epoch, state.ExamplesSeen, epochSeconds);
                if (Options.StopAtAccuracy > 0 && state.History.Test[^1].Accuracy >= Options.StopAtAccuracy && !state.Finished)
                    state = state with { StoppedEarly = true };
            }
            else observer.OnEpochEnd(new TestPoint(state.ExamplesSeen, epoch, double.NaN, double.NaN, epochSeconds));
            model.train();
            last = SaveCheckpoint($"epoch-{epoch:D2}");
        }
        return new TrainingOutcome(true, state, last);
    }

    /// <summary>Evaluates the current network on the test set.</summary>
    public EvaluationResult EvaluateTest(int keepOutputs = 10) =>
        Evaluator.Evaluate(model, LimitedTest() ?? throw new InvalidOperationException("this trainer has no test set"), Options.TestBatchSize, keepOutputs);

    private double Step(Tensor? order, long start, long size)
    {
        using var scope = NewDisposeScope();
        var (x, y) = train.Batch(order, start, size);
        if (shards is not null && shards.ShardsFor(size) > 1)
        {
            double sharded = shards.LossAndGradients(model, trainable, x, y);
            optimizer.step();
            return sharded;
        }
        optimizer.zero_grad();
        Tensor loss = F.nll_loss(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    private void RecordTest(int epoch, long examplesSeen, double epochSeconds)
    {
        var result = EvaluateTest(keepOutputs: 0);
        var point = new TestPoint(examplesSeen, epoch, result.Loss, result.Accuracy, epochSeconds);
        state.History.Test.Add(point);
        observer.OnEpochEnd(point);
    }

    private TensorDataset? LimitedTest()
    {
        if (test is null || Options.TestLimit <= 0 || Options.TestLimit >= test.Count) return test;
        return new TensorDataset(test.Images.narrow(0, 0, Options.TestLimit), test.Labels.narrow(0, 0, Options.TestLimit), test.ClassNames);
    }

    // The epoch's shuffle order depends only on (seed, epoch), never on how the run got here.
    private Tensor Permutation(int epoch)
    {
        var generator = new Generator((ulong)(Options.Seed * 1_000_003 + epoch));
        return randperm(TrainCount, generator: generator);
    }

    private string? SaveCheckpoint(string name)
    {
        if (CheckpointDirectory is null) return null;
        string path = Path.Combine(CheckpointDirectory, name + Checkpoint.Extension);
        Checkpoint.Save(path, model, optimizer, state);
        File.Copy(path, Path.Combine(CheckpointDirectory, "last" + Checkpoint.Extension), overwrite: true);
        observer.OnCheckpoint(path);
        return path;
    }

    public void Dispose()
    {
        shards?.Dispose();
        optimizer.Dispose();
    }

    private sealed class NullObserver : ITrainingObserver;
}
