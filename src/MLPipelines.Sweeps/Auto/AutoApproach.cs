namespace MLPipelines.Sweeps.Auto;

/// <summary>The approaches <c>mlp auto</c> searches, and which of them a data set gets.</summary>
public static class AutoApproach
{
    /// <summary>The digit network's transfer (<see cref="Running.GreekTrialRunner"/>): for ink on paper.</summary>
    public const string Transfer = "digit-network transfer";
    /// <summary>A head on ImageNet ResNet18 features (<see cref="Running.PhotoHeadTrialRunner"/>): for photos.</summary>
    public const string PhotoHeads = "ResNet18 features + head";

    public static IReadOnlyList<string> All { get; } = [Transfer, PhotoHeads];

    /// <summary>"transfer", "photo" (and the full names) to an approach.</summary>
    public static string Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "transfer" or "digits" or "glyphs" or "digit-network transfer" => Transfer,
        "photo" or "photos" or "resnet" or "resnet18" or "photo-heads" or "resnet18 features + head" => PhotoHeads,
        _ => throw new ArgumentException($"unknown approach '{name}' (known: transfer, photo)"),
    };

    /// <summary>The approaches to try on data of this profile, and why: one when the data says which, both when it is unsure.</summary>
    public static (IReadOnlyList<string> Approaches, string Reason) For(DatasetProfile profile)
    {
        if (profile.GlyphLike) return ([Transfer], $"ink on paper ({profile}): the digit network's transfer fits");
        if (profile.PhotoLike) return ([PhotoHeads], $"photos ({profile}): ResNet18 features + a head fit");
        return ([Transfer, PhotoHeads], $"neither clearly ink on paper nor photos ({profile}): trying both, the budget shared");
    }

    /// <summary>The study of an approach in the run's storage.</summary>
    public static string StudyName(string approach) => approach == Transfer ? "auto" : "auto-photo";
}
