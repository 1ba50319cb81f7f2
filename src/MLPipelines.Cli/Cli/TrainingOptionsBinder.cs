using System.CommandLine;
using MLPipelines.Models;
using MLPipelines.Training;

namespace MLPipelines.Cli.Cli;

/// <summary>
/// The hyper-parameter options of a training command. Unset options take the chosen recipe's value
/// (the assignment's by default), so <c>--recipe tuned --epochs 5</c> changes only the epochs.
/// </summary>
public sealed class TrainingOptionsBinder
{
    public Option<string> Recipe { get; } = new("--recipe")
    {
        Description = "Hyper-parameter preset: assignment (SGD lr 0.01, momentum 0.5) or tuned (Nesterov 0.9, one-cycle lr 0.05)",
        DefaultValueFactory = _ => "assignment",
    };
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Passes over the training set (default: the recipe's, 20 for assignment, 10 for tuned)" };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Training batch size (default 64)" };
    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Learning rate (peak rate for schedules)" };
    public Option<double?> Momentum { get; } = new("--momentum") { Description = "SGD momentum" };
    public Option<bool?> Nesterov { get; } = new("--nesterov") { Description = "Nesterov momentum (SGD)" };
    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd, adam or adamw" };
    public Option<double?> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay" };
    public Option<string?> Schedule { get; } = new("--schedule") { Description = "Learning-rate schedule: constant, cosine or onecycle" };
    public Option<int?> TestBatchSize { get; } = new("--test-batch-size") { Description = "Batch size for testing (default 1000)" };
    public Option<int?> LogInterval { get; } = new("--log-interval") { Description = "Record the train loss every N batches (default 10)" };
    public Option<int> TrainLimit { get; } = new("--train-limit") { Description = "Use only the first N training images (0 = all)" };
    public Option<int> TestLimit { get; } = new("--test-limit") { Description = "Use only the first N test images (0 = all)" };
    public Option<bool> NoShuffle { get; } = new("--no-shuffle") { Description = "Keep the training set in file order" };
    public Option<long> Seed { get; } = CommonOptions.Seed();
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<int> KernelSize { get; } = new("--kernel-size") { Description = "Convolution kernel size", DefaultValueFactory = _ => 5 };
    public Option<double> Dropout { get; } = new("--dropout") { Description = "Dropout2d rate after conv2", DefaultValueFactory = _ => 0.5 };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[]
                 {
                     Recipe, Epochs, BatchSize, LearningRate, Momentum, Nesterov, Optimizer, WeightDecay, Schedule,
                     TestBatchSize, LogInterval, TrainLimit, TestLimit, NoShuffle, Seed, Threads, KernelSize, Dropout,
                 })
            command.Add(o);
    }

    public TrainingOptions Bind(ParseResult p)
    {
        TrainingOptions recipe;
        try
        {
            recipe = Recipes.Get(p.GetValue(Recipe)!);
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
        var o = recipe with
        {
            Epochs = p.GetValue(Epochs) ?? recipe.Epochs,
            BatchSize = p.GetValue(BatchSize) ?? recipe.BatchSize,
            LearningRate = p.GetValue(LearningRate) ?? recipe.LearningRate,
            Momentum = p.GetValue(Momentum) ?? recipe.Momentum,
            Nesterov = p.GetValue(Nesterov) ?? recipe.Nesterov,
            Optimizer = Parse(p.GetValue(Optimizer), recipe.Optimizer, "optimizer"),
            WeightDecay = p.GetValue(WeightDecay) ?? recipe.WeightDecay,
            Schedule = Parse(p.GetValue(Schedule)?.Replace("onecycle", "OneCycle", StringComparison.OrdinalIgnoreCase), recipe.Schedule, "schedule"),
            TestBatchSize = p.GetValue(TestBatchSize) ?? recipe.TestBatchSize,
            LogInterval = p.GetValue(LogInterval) ?? recipe.LogInterval,
            TrainLimit = p.GetValue(TrainLimit),
            TestLimit = p.GetValue(TestLimit),
            Shuffle = !p.GetValue(NoShuffle),
            Seed = p.GetValue(Seed),
            Threads = p.GetValue(Threads),
        };
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
        return o;
    }

    public DigitNetOptions BindModel(ParseResult p, int classes = 10)
    {
        var o = new DigitNetOptions { KernelSize = p.GetValue(KernelSize), Dropout = p.GetValue(Dropout), Classes = classes };
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
        return o;
    }

    private static T Parse<T>(string? text, T fallback, string what) where T : struct, Enum
    {
        if (text is null) return fallback;
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value)) return value;
        throw new UserError($"unknown {what} '{text}' (known: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))})");
    }
}
