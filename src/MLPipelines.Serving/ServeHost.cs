using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MLPipelines.Serving.Api;
using MLPipelines.Serving.Models;

namespace MLPipelines.Serving;

/// <summary>
/// The server behind <c>mlp serve</c>: Kestrel serving the models of one folder over the REST API
/// (<see cref="ApiEndpoints"/>) and the drawing page (wwwroot, embedded in this assembly). Models are loaded
/// before it starts listening and reloaded while it runs: it is built on the ASP.NET Core integration
/// (<c>services.AddImageClassifiers</c>, <see cref="ImageClassifierPool"/>, <see cref="ModelWatcher"/>).
/// </summary>
public sealed class ServeHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private ServeHost(WebApplication app, ImageClassifierPool registry)
    {
        this.app = app;
        Models = registry;
    }

    public ImageClassifierPool Models { get; }

    /// <summary>Gives memory back after bursts (see <see cref="MemoryTrimmer"/>).</summary>
    public MemoryTrimmer Memory => app.Services.GetRequiredService<MemoryTrimmer>();

    /// <summary>The addresses it listens on, with the real port where port 0 was asked for.</summary>
    public IReadOnlyList<string> Urls =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>Fires when the host is asked to stop (SIGTERM, Ctrl+C).</summary>
    public CancellationToken Stopping => app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Loads the folder's models and starts listening. <paramref name="logging"/> replaces the default
    /// console logging (<see cref="LineFormatterExtensions.AddLineConsole"/>).
    /// </summary>
    public static async Task<ServeHost> StartAsync(ServeOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancel = default)
    {
        if (!Directory.Exists(options.ModelsFolder)) throw new DirectoryNotFoundException($"models folder not found: {options.ModelsFolder}");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ServeHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxImageBytes + ImageUpload.MultipartOverhead;
        });
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        else
        {
            builder.Logging.AddLineConsole();
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<PredictionGate>();
        builder.Services.AddImageClassifiers(o =>
        {
            o.FromFolder(options.ModelsFolder, watchForChanges: true);
            o.Limits = new Core.Imaging.ImageLimits { MaxPixels = options.MaxImagePixels, MaxFileBytes = options.MaxImageBytes };
            o.ReloadDelay = options.ReloadDelay;
            o.RescanInterval = options.RescanInterval;
        });
        builder.Services.AddSingleton<MemoryTrimmer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MemoryTrimmer>());

        var app = builder.Build();
        var registry = app.Services.GetRequiredService<ImageClassifierPool>();

        ErrorHandling.Use(app, options, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MLPipelines.Serving"));
        UsePage(app);
        ApiEndpoints.Map(app);

        try
        {
            await app.StartAsync(cancel);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new ServeHost(app, registry);
    }

    /// <summary>
    /// The drawing page: index.html, app.js, app.css and the in-browser runtime (ort/: ONNX Runtime Web, embedded
    /// by the build) from the assembly, nothing from anywhere else.
    /// </summary>
    private static void UsePage(WebApplication app)
    {
        var files = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "MLPipelines.Serving.wwwroot");
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            // No other site may frame the page (clickjacking): the old header for old browsers, frame-ancestors for the rest.
            headers.XFrameOptions = "DENY";
            // The page may talk only to this server: no CDN, fonts or scripts from elsewhere. WebAssembly (the
            // in-browser model runtime) may be compiled, from this server's files only.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; frame-ancestors 'none'";
            return next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });
    }

    public async ValueTask DisposeAsync()
    {
        // Requests in flight get a few seconds to finish; the container then disposes the registry and its models.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(grace.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
