namespace MLPipelines.Animals.Model;

/// <summary>What a saved animals model says about itself (the <c>mlp-model.json</c> entry inside its .zip).</summary>
public sealed record ModelInfo
{
    public const string EntryName = "mlp-model.json";
    public const string KindName = "image-classifier/resnet18-transfer";

    public string Kind { get; init; } = KindName;
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>The ML.NET column the model reads: the path of an image file.</summary>
    public string InputColumn { get; init; } = Features.BackbonePipeline.ImagePathColumn;
    public required string Head { get; init; }
    public required string HeadDescription { get; init; }
    public string Backbone { get; init; } = Features.ResNet18Files.BackboneId;
    public int ImageSize { get; init; } = Features.ResNet18Files.ImageSize;
    public string? Dataset { get; init; }
    public double? TestAccuracy { get; init; }
    public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;
}
