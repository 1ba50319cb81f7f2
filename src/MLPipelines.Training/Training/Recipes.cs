namespace MLPipelines.Training;

/// <summary>Named sets of hyper-parameters for the digit network (same architecture, different training).</summary>
public static class Recipes
{
    /// <summary>The assignment's: SGD, lr 0.01, momentum 0.5, batch 64, constant rate.</summary>
    public static readonly TrainingOptions Assignment = new();

    /// <summary>
    /// A faster-converging recipe for the same network: SGD with Nesterov momentum 0.9 and a one-cycle
    /// learning rate (warm up to 0.05, then cosine down to zero).
    /// </summary>
    public static readonly TrainingOptions Tuned = new()
    {
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
