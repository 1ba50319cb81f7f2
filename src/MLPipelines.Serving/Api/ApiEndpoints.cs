using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MLPipelines.Prediction;
using MLPipelines.Core.Imaging;
using MLPipelines.Serving.Models;

namespace MLPipelines.Serving.Api;

/// <summary>
/// The REST API: <c>GET /health</c>, <c>GET /api/models</c>, <c>GET /api/models/{name}</c> and
/// <c>GET /api/models/{name}/model.onnx</c> (the model for clients that run it, see <see cref="ModelInfo.Onnx"/>) and
/// <c>POST /api/models/{name}/predict[?top=k]</c>. Client mistakes are <see cref="ApiError"/>s, turned
/// into 4xx JSON by <see cref="ErrorHandling"/>.
/// </summary>
public static class ApiEndpoints
{
    public const int DefaultTop = 3;

    public static void Map(WebApplication app)
    {
        var started = Stopwatch.StartNew();
        app.MapGet("/health", (ImageClassifierPool registry) =>
        {
            var models = registry.Models.Select(m => m.Name).ToList();
            var problems = registry.Problems;
            // Degraded: something in the folder is not served, or nothing is. The folder by its name only: clients
            // have no business knowing where the server's files are.
            return new HealthResponse(problems.Count > 0 || models.Count == 0 ? "degraded" : "ok",
                Path.GetFileName(Path.TrimEndingDirectorySeparator(registry.Folder)), models, problems, Math.Round(started.Elapsed.TotalSeconds, 1));
        });

        var api = app.MapGroup("/api");
        api.MapGet("/models", (ImageClassifierPool registry) => registry.Models.Select(ModelInfo.From).ToList());
        api.MapGet("/models/{name}", (string name, ImageClassifierPool registry) =>
        {
            using var lease = Lease(registry, name);
            return ModelInfo.From(lease.Model);
        });
        api.MapGet("/models/{name}/model.onnx", (string name, ImageClassifierPool registry, HttpResponse response) =>
        {
            using var lease = Lease(registry, name);
            var model = lease.Model;
            var bytes = model.PortableOnnx ?? throw new ApiError(StatusCodes.Status404NotFound,
                $"model '{name}' has no portable ONNX (re-save it with mlp model upgrade, or predict with POST /api/models/{name}/predict)");
            response.Headers.CacheControl = "no-cache";
            // The file's stamp tags the version: the page's cached copy is revalidated against it.
            return Results.Bytes(bytes, "application/octet-stream", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{model.Stamp.Length:x}-{model.Stamp.LastWriteUtc.Ticks:x}\""));
        });
        api.MapPost("/models/{name}/predict", PredictAsync);
    }

    private static async Task<IResult> PredictAsync(string name, HttpRequest request, ImageClassifierPool registry, ServeOptions options,
        PredictionGate gate, CancellationToken cancel)
    {
        CheckName(name);
        if (!registry.Contains(name)) throw UnknownModel(registry, name);
        int top = Top(request.Query["top"]);
        var upload = await ImageUpload.ReadAsync(request, options.MaxImageBytes, cancel);

        using var turn = await gate.EnterAsync(cancel);
        var clock = Stopwatch.StartNew();
        var header = ImageHeader.Read(upload.Bytes)
            ?? throw new ApiError(StatusCodes.Status415UnsupportedMediaType, $"{upload.Name}: not an image (send PNG, JPEG, GIF, BMP or WebP)");
        if (header.Pixels > options.MaxImagePixels)
            throw new ApiError(StatusCodes.Status413PayloadTooLarge,
                $"{upload.Name}: image too large: {header.Width}x{header.Height} pixels (the limit is {options.MaxImagePixels:N0} pixels)");

        using var lease = Lease(registry, name);
        var model = lease.Model;
        Prediction.Prediction prediction;
        try
        {
            prediction = model.Classifier.Predict(upload.Bytes, upload.Name);
        }
        catch (ImageTooLargeException e)
        {
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, e.Message.ReplaceLineEndings(" "));
        }
        catch (InvalidImageException e)
        {
            // It is an image, but not one the model can read (blank, no contrast, cannot be decoded).
            throw new ApiError(StatusCodes.Status422UnprocessableEntity, e.Message.ReplaceLineEndings(" "));
        }
        double ms = clock.Elapsed.TotalMilliseconds;
        return Results.Json(new PredictResponse(model.Name, model.Version, prediction.Label, prediction.Index, prediction.Probability,
            prediction.TopK(Math.Min(top, prediction.Scores.Count)), prediction.Scores, Math.Round(ms, 3)));
    }

    private static ModelLease Lease(ImageClassifierPool registry, string name)
    {
        CheckName(name);
        return registry.Lease(name) ?? throw UnknownModel(registry, name);
    }

    private static void CheckName(string name)
    {
        if (!ModelNames.IsValid(name))
            throw new ApiError(StatusCodes.Status400BadRequest,
                $"invalid model name '{Shorten(name)}': a name holds only letters, digits, '.', '_' and '-' (see GET /api/models)");
    }

    private static ApiError UnknownModel(ImageClassifierPool registry, string name)
    {
        var names = registry.Models.Select(m => m.Name).ToList();
        return new ApiError(StatusCodes.Status404NotFound,
            $"unknown model '{name}' (served: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
    }

    private static int Top(string? value)
    {
        if (string.IsNullOrEmpty(value)) return DefaultTop;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1) return k;
        throw new ApiError(StatusCodes.Status400BadRequest, $"top must be a whole number of at least 1, not '{Shorten(value)}'");
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
