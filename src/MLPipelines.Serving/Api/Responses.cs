using MLPipelines.Prediction;
using MLPipelines.Serving.Models;

namespace MLPipelines.Serving.Api;

/// <summary>
/// A served model, as <c>GET /api/models</c> lists it. <see cref="Onnx"/>: where its portable ONNX is (the whole
/// model, RGBA bytes of the picture fitted into a <see cref="Canvas"/> x <see cref="Canvas"/> canvas in), for
/// clients that run it themselves; null when it has none.
/// </summary>
public sealed record ModelInfo(
    string Name,
    string Kind,
    IReadOnlyList<string> Classes,
    int Width,
    int Height,
    string Preprocessing,
    string? Description,
    IReadOnlyDictionary<string, double>? Metrics,
    string File,
    int Version,
    DateTimeOffset LoadedAt,
    int Canvas,
    string? Onnx)
{
    public static ModelInfo From(LoadedModel model)
    {
        var m = model.Classifier.Metadata;
        return new ModelInfo(model.Name, m.Kind, m.Classes, m.Width, m.Height, m.Preprocessing, m.Description, m.Metrics,
            model.File, model.Version, model.LoadedAt, m.Canvas,
            model.PortableOnnx is null ? null : $"api/models/{Uri.EscapeDataString(model.Name)}/model.onnx");
    }
}

/// <summary>
/// What <c>POST /api/models/{name}/predict</c> answers: the predicted class, its probability, the top
/// <c>k</c> classes (most probable first), every class's probability (in the model's class order), and
/// the server's time for decoding, preparing and predicting the image.
/// </summary>
public sealed record PredictResponse(
    string Model,
    int Version,
    string Label,
    int Index,
    float Probability,
    IReadOnlyList<ClassScore> Top,
    IReadOnlyList<ClassScore> Probabilities,
    double Milliseconds);

/// <summary>
/// <c>GET /health</c>: <c>ok</c> when every model file in the folder is served, <c>degraded</c> when some file could
/// not be loaded (see <see cref="Problems"/>) or none is served; the folder's name (never its path).
/// </summary>
public sealed record HealthResponse(string Status, string Folder, IReadOnlyList<string> Models, IReadOnlyList<ModelProblem> Problems, double UptimeSeconds);
