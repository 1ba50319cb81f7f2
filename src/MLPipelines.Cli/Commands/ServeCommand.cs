using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Serving;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp serve</c>: every model .zip of a folder over HTTP on Kestrel: the drawing page at /, the REST API
/// under /api, /health. Models are reloaded when their files are replaced.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var models = ModelsOption();
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (http only; port 0 picks a free port)",
            HelpName = "URLS",
            DefaultValueFactory = _ => "http://127.0.0.1:5000",
        };
        var maxImage = new Option<double>("--max-image-mb")
        {
            Description = "Largest image a request may send, in MiB (larger: 413)",
            HelpName = "MIB",
            DefaultValueFactory = _ => ServeOptions.DefaultMaxImageBytes / (1024.0 * 1024),
        };
        var parallel = new Option<int>("--max-parallel")
        {
            Description = "Predictions computed at once; further requests wait their turn (0 = no limit)",
            HelpName = "N",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var maxPixels = CommonOptions.MaxPixels();
        var command = new Command("serve", "Serve every model .zip in a folder: a page to draw or drop an image and see the prediction, and a REST API")
        {
            models, urls, maxImage, maxPixels, parallel,
        };
        command.WithExamples(
            "mlp serve                                   (models/ on http://127.0.0.1:5000)",
            "mlp serve --models runs/models --urls http://0.0.0.0:8080",
            "curl -F image=@digit.png http://127.0.0.1:5000/api/models/digits/predict",
            "curl --data-binary @digit.png -H 'Content-Type: image/png' 'http://127.0.0.1:5000/api/models/digits/predict?top=5'");
        command.SetAction(parse =>
        {
            var options = new ServeOptions
            {
                ModelsFolder = ResolveModelsFolder(parse.GetValue(models)),
                Urls = ParseUrls(parse.GetValue(urls)!),
                MaxImageBytes = MaxBytes(parse.GetValue(maxImage)),
                MaxImagePixels = CommonOptions.Limits(parse.GetValue(maxPixels)).MaxPixels,
                MaxConcurrentPredictions = parse.GetValue(parallel) >= 0 ? parse.GetValue(parallel)
                    : throw new UserError("--max-parallel must be 0 (no limit) or more"),
            };
            return RunAsync(options).GetAwaiter().GetResult();
        });
        return command;
    }

    public static Option<string?> ModelsOption() => new("--models")
    {
        Description = "Folder of model .zip files (default: the project's models/)",
        HelpName = "DIR",
    };

    /// <summary>--models, else the project's models/ folder; an error when it does not exist.</summary>
    public static string ResolveModelsFolder(string? option)
    {
        string folder = Path.GetFullPath(option ?? ModelFiles.DefaultFolder);
        if (!Directory.Exists(folder)) throw new UserError($"models folder not found: {folder}");
        return folder;
    }

    public static IReadOnlyList<string> ParseUrls(string value)
    {
        var urls = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0) throw new UserError("--urls: give at least one address, e.g. http://127.0.0.1:5000");
        foreach (string url in urls)
        {
            // Kestrel's "any address" hosts (http://*:5000, http://+:5000) are not valid URI hosts.
            string checkable = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(checkable, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
                throw new UserError($"--urls: '{url}' is not an http:// address (e.g. http://127.0.0.1:5000)");
            if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
                throw new UserError($"--urls: '{url}' has a path; give scheme, host and port only");
        }
        return urls;
    }

    private static long MaxBytes(double mib)
    {
        if (!(mib > 0) || mib > 1024) throw new UserError($"--max-image-mb must be above 0 and at most 1024, not {mib.ToString(CultureInfo.InvariantCulture)}");
        return (long)(mib * 1024 * 1024);
    }

    private static async Task<int> RunAsync(ServeOptions options)
    {
        ServeHost host;
        try
        {
            host = await ServeHost.StartAsync(options, cancel: Interrupt.Token);
        }
        catch (IOException e)
        {
            throw new UserError($"cannot listen: {e.Message}");
        }
        await using (host)
        {
            var loaded = host.Models.Models;
            Console.WriteLine($"serving {loaded.Count} model{(loaded.Count == 1 ? "" : "s")} from {options.ModelsFolder}" +
                (loaded.Count > 0 ? $": {string.Join(", ", loaded.Select(m => m.Name))}" : " (none yet: add a model .zip there)"));
            foreach (var problem in host.Models.Problems) Console.WriteLine($"  not served: {problem.File}: {problem.Error}");
            foreach (string url in host.Urls)
                Console.WriteLine($"page: {url}/   API: {url}/api/models   health: {url}/health");
            Console.WriteLine("Model files replaced in the folder are reloaded. Ctrl+C stops.");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Interrupt.Token, host.Stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        Console.WriteLine("stopped");
        return Interrupt.Token.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Ok;
    }
}
