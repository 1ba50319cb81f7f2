// A minimal web API over the project's image models, built on the ASP.NET Core integration:
//   dotnet run --project samples/DigitsWebApi -- --Models models --urls http://127.0.0.1:5080
//   curl --data-binary @photo.png http://127.0.0.1:5080/predict/digits
using MLPipelines.Core.Imaging;
using MLPipelines.Serving.Models;

var builder = WebApplication.CreateSlimBuilder(args);
string models = builder.Configuration["Models"] ?? "models";
// Every NAME.zip of the folder as the model NAME, reloaded when a file is replaced.
builder.Services.AddImageClassifiers(o => o.FromFolder(models, watchForChanges: true));
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 8 * 1024 * 1024);
var app = builder.Build();

app.MapGet("/models", (ImageClassifierPool pool) => pool.Names);

app.MapPost("/predict/{model}", async (string model, HttpRequest request, ImageClassifierPool pool, CancellationToken cancel) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, cancel);
    try
    {
        var p = pool.Predict(model, body.ToArray());
        return Results.Ok(new { label = p.Label, probability = p.Probability, top = p.TopK(3).Select(s => new { label = s.Label, probability = s.Probability }) });
    }
    catch (KeyNotFoundException e)
    {
        return Results.NotFound(new { error = e.Message });
    }
    catch (InvalidImageException e)
    {
        return Results.BadRequest(new { error = e.Message });
    }
});

app.Run();
