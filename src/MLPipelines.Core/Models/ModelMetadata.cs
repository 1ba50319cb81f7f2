using System.Text.Json.Serialization;

namespace MLPipelines.Core.Models;

/// <summary>
/// What a model .zip says about itself, in its <c>MLPipelines/model.json</c> entry: what it recognises,
/// its class names (in output order), the image size it expects, and how images are prepared for it.
/// ML.NET ignores the entry; <c>ImageClassifier</c> reads it.
/// </summary>
public sealed record ModelMetadata
{
    /// <summary>
    /// 4: as 3, and a model whose <see cref="Canvas"/> is set also carries its whole graph as one portable ONNX
    /// file (<see cref="ModelPackage.PortableOnnxEntry"/>: RGBA bytes of the canvas in), which other runtimes
    /// and the drawing page run. 3: as 2, and a model whose <see cref="Canvas"/> is set prepares any picture itself (ML.NET alone reads
    /// people's handwriting with it). 2: the model takes an image file's path (<see cref="ModelSchema.ImagePath"/>) and is saved with that input
    /// schema; PredictedLabel is a string. 1: it took an MLImage (<see cref="ModelSchema.Image"/>) and gave
    /// PredictedLabel as a one-element array. All load in <c>ImageClassifier</c>.
    /// </summary>
    public const int CurrentFormat = 4;

    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;
    /// <summary>digits, letters, animals, ...: what the model is for.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("classes")] public required IReadOnlyList<string> Classes { get; init; }
    [JsonPropertyName("width")] public required int Width { get; init; }
    [JsonPropertyName("height")] public required int Height { get; init; }
    /// <summary>Name of the <see cref="Imaging.IImagePreprocessor"/> that turns a photo into the model's input ("none" = as is).</summary>
    [JsonPropertyName("preprocessing")] public string Preprocessing { get; init; } = "none";
    /// <summary>
    /// When above 0, the model itself fits any picture into a Canvas x Canvas canvas and prepares it (its
    /// <see cref="Preprocessing"/> runs inside the model); 0: the model is given images prepared for it.
    /// </summary>
    [JsonPropertyName("canvas")] public int Canvas { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>The command and options that produced the model.</summary>
    [JsonPropertyName("trainedWith")] public string? TrainedWith { get; init; }
    /// <summary>Figures measured when it was made (test accuracy, ...).</summary>
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}
