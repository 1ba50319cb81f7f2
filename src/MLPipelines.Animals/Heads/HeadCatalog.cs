using Microsoft.ML;

namespace MLPipelines.Animals.Heads;

/// <summary>Settings of the heads that have some (the MLP's epochs and rates).</summary>
public sealed record HeadOptions
{
    public int Seed { get; init; } = 1;
    public int CrossValidationFolds { get; init; } = 5;
    /// <summary>L-BFGS's L2 regularisation; null: chosen by cross-validation on the training split.</summary>
    public float? LbfgsL2 { get; init; }
    public MlpHeadOptions Mlp { get; init; } = new();
}

/// <summary>The heads a backbone can get, by name: ML.NET's linear trainers and the assignment's MLP.</summary>
public static class HeadCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["lbfgs", "sdca", "mlp"];

    public static string Describe(string name) => name switch
    {
        "lbfgs" => "ML.NET L-BFGS maximum entropy: the linear 'retrain the last layer' head",
        "sdca" => "ML.NET SDCA maximum entropy: linear, another optimiser",
        "mlp" => "the assignment's head: Dense 256, ReLU, dropout, Dense N; TorchSharp inside an ML.NET estimator, ONNX in the model",
        _ => throw new ArgumentException($"unknown head '{name}' (known: {string.Join(", ", Names)})"),
    };

    public static TrainedHead Train(MLContext ml, string name, HeadData train, HeadData? validation, HeadOptions options,
        Action<string>? log = null, CancellationToken cancel = default) => name switch
    {
        "lbfgs" or "sdca" => MlNetHead.Train(ml, name, train, options.CrossValidationFolds, options.Seed, name == "lbfgs" ? options.LbfgsL2 : null),
        "mlp" => MlpHead.Train(ml, train, validation, options.Mlp with { Seed = options.Seed }, log, cancel),
        _ => throw new ArgumentException($"unknown head '{name}' (known: {string.Join(", ", Names)})"),
    };
}
