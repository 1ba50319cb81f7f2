using MLPipelines.Core.Models;

namespace MLPipelines.Training.Onnx.Preparation;

/// <summary>
/// How a model prepares pictures itself: the caller fits the picture into a <see cref="Size"/> x <see cref="Size"/>
/// canvas (isotropic, transparent around it: ML.NET's ResizeImages with IsoPad), gives its pixels planar in
/// <see cref="Channels"/> order, and the graph does the rest (<see cref="InkPreparationGraph"/>).
/// </summary>
/// <param name="Preprocessor">The preparation's name, as in the model's metadata: "mnist-style" or "greek-letter".</param>
public sealed record CanvasPreparation(string Preprocessor, int Size = CanvasPreparation.DefaultSize, string Channels = "ARGB")
{
    /// <summary>
    /// The input as other runtimes and the browser have a picture: uint8 [1, Size, Size, 4], interleaved RGBA (what
    /// a canvas's getImageData gives), instead of ML.NET's planar float channels.
    /// </summary>
    public bool RgbaBytes { get; init; }

    /// <summary>For ONNX Runtime elsewhere (Node, the browser): uint8 RGBA, interleaved.</summary>
    public static CanvasPreparation ForRgbaBytes(string preprocessor, int size = DefaultSize) =>
        new(preprocessor, size, "RGBA") { RgbaBytes = true };

    /// <summary>
    /// 256: the shared photos, drawings and letter scans all read as well as through the full-size C# preparation at
    /// this size (see docs/models.md), at about 3.5 ms a picture on one core.
    /// </summary>
    public const int DefaultSize = 256;
    public const string InputName = ModelSchema.Canvas;
}
