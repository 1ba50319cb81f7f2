using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Heads;

namespace MLPipelines.Animals.Training;

/// <summary>What <see cref="AnimalsTraining.Run"/> trains: which heads on the frozen backbone, which one is saved, how the photos are seen and split.</summary>
public sealed record AnimalsTrainingOptions
{
    /// <summary>The photo set as given (a name under the data folder, or a folder), recorded in options.json.</summary>
    public required string Dataset { get; init; }
    public string? Data { get; init; }
    public IReadOnlyList<string> Heads { get; init; } = HeadCatalog.Names;
    /// <summary>The head that goes into model.zip (one of <see cref="Heads"/>).</summary>
    public string Save { get; init; } = HeadCatalog.Names[0];
    /// <summary>Training-photo views (<see cref="Augmentation.Names"/>).</summary>
    public string Augment { get; init; } = "full";
    public int Seed { get; init; } = 1;
    public SplitFractions Fractions { get; init; } = new();
    public BackboneOptions Backbone { get; init; } = new();
    /// <summary>FP32 or INT8 features (<see cref="BackbonePrecision.Auto"/>: INT8 on CPUs with VNNI). Ignored when <see cref="BackboneOptions.Network"/> is given.</summary>
    public BackbonePrecision Precision { get; init; } = BackbonePrecision.Auto;
    /// <summary>How the INT8 network is calibrated (on the training split's photos).</summary>
    public Features.Quantization.QuantizationOptions Quantization { get; init; } = new();
    public MlpHeadOptions Mlp { get; init; } = new();
    /// <summary>L-BFGS's L2 regularisation; null: chosen by cross-validation on the training split.</summary>
    public float? LbfgsL2 { get; init; }
    /// <summary>Where features are cached per photo and view, across runs.</summary>
    public string CacheFolder { get; init; } = "";
    public string CommandLine { get; init; } = "";

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(CacheFolder)) throw new ArgumentException("no feature cache folder");
        if (Heads.Count == 0) throw new ArgumentException("no head to train");
        foreach (string h in Heads)
            if (!HeadCatalog.Names.Contains(h)) throw new ArgumentException($"unknown head '{h}' (known: {string.Join(", ", HeadCatalog.Names)})");
        if (!Heads.Contains(Save)) throw new ArgumentException($"the saved head {Save} is not among the heads {string.Join(',', Heads)}");
        if (!Augmentation.Names.Contains(Augment)) throw new ArgumentException($"unknown augmentation '{Augment}' (known: {string.Join(", ", Augmentation.Names)})");
        Fractions.Validate();
        Backbone.Validate();
        Quantization.Validate();
        Mlp.Validate();
        if (LbfgsL2 is < 0) throw new ArgumentException($"L2 regularisation must be >= 0 (got {LbfgsL2})");
    }

    /// <summary>The splits leave photos to train on and to evaluate on.</summary>
    public static void CheckSplits(PhotoSet set, Split[] splits)
    {
        if (!splits.Contains(Split.Train)) throw new ArgumentException($"{set.Name} has no training photos");
        if (!splits.Contains(Split.Validation) && !splits.Contains(Split.Test))
            throw new ArgumentException($"{set.Name} leaves no photos for validation or test: raise the validation or test fraction");
    }
}
