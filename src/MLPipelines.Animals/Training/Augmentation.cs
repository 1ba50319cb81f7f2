namespace MLPipelines.Animals.Training;

/// <summary>
/// Extra views of each training photo whose features the head also trains on (the backbone stays frozen, so
/// augmentation is a few more cached feature vectors per photo). Validation and test photos are seen plainly,
/// as the saved model sees them.
/// </summary>
public static class Augmentation
{
    public static IReadOnlyList<string> Names { get; } = ["none", "mirror", "full"];

    public static IReadOnlyList<Features.ImageView> Views(string name) => name switch
    {
        "none" => [],
        "mirror" => [new(true)],
        "full" => [new(true), new(false, 0.8f), new(true, 0.8f)],
        _ => throw new ArgumentException($"unknown augmentation '{name}' (known: {string.Join(", ", Names)})"),
    };
}
