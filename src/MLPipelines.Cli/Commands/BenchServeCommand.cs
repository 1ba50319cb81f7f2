using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using MLPipelines.Cli.Cli;
using MLPipelines.Core.Runs;
using MLPipelines.Serving;
using MLPipelines.Serving.Api;
using MLPipelines.Serving.Benchmark;
using MLPipelines.Core.Imaging;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp bench serve</c>: N concurrent clients send a fixed count of predict requests to a server on this
/// machine; prints requests/s, latency percentiles and errors, and the resident memory of this process (peak
/// under load, then while idle) — a benchmark, not a test.
/// </summary>
public static class BenchServeCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url")
        {
            Description = "A running server (e.g. http://127.0.0.1:5000); default: start one in this process on a free 127.0.0.1 port",
            HelpName = "URL",
        };
        var models = ServeCommand.ModelsOption();
        var model = new Option<string?>("--model") { Description = "Model to call (default: digits, else the first)", HelpName = "NAME" };
        var image = new Option<string?>("--image")
        {
            Description = "Image file to send (default: a 280x280 PNG drawing of a 7, as the page sends)",
            HelpName = "FILE",
        };
        var bomb = new Option<string?>("--pixel-bomb")
        {
            Description = "Send a PNG that is small as a file and huge as pixels instead (WIDTHxHEIGHT, e.g. 6000x6000: 53 KB)",
            HelpName = "WxH",
        };
        var idle = new Option<int>("--idle")
        {
            Description = "After the load, stay idle this many seconds and print the resident memory every 10 s",
            DefaultValueFactory = _ => 0,
            HelpName = "SECONDS",
        };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients", DefaultValueFactory = _ => 8 };
        var requests = new Option<int>("--requests") { Description = "Requests to time, shared by the clients", DefaultValueFactory = _ => 2000 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed requests first", DefaultValueFactory = _ => 100 };
        var command = new Command("serve", "Load-test the prediction API: requests/s, p50/p90/p99 latency, errors")
        {
            url, models, model, image, bomb, clients, requests, warmup, idle,
        };
        command.WithExamples(
            "mlp bench serve",
            "mlp bench serve --clients 8 --requests 5000",
            "mlp bench serve --url http://127.0.0.1:5000 --image digit.png",
            "mlp bench serve --pixel-bomb 6000x6000 --clients 8 --requests 64 --warmup 0 --idle 60   (memory under decompression bombs)");
        command.SetAction(parse =>
        {
            int c = parse.GetValue(clients), n = parse.GetValue(requests), w = parse.GetValue(warmup);
            if (c < 1) throw new UserError("--clients must be at least 1");
            if (n < 1) throw new UserError("--requests must be at least 1");
            if (w < 0) throw new UserError("--warmup must be 0 or more");
            if (parse.GetValue(idle) < 0) throw new UserError("--idle must be 0 or more");
            var (bytes, what) = parse.GetValue(bomb) is { } size ? Bomb(size) : Image(parse.GetValue(image));
            string? target = parse.GetValue(url);
            if (target is not null) ServeCommand.ParseUrls(target);
            string? folder = target is null ? ServeCommand.ResolveModelsFolder(parse.GetValue(models)) : null;
            return RunAsync(target, folder, parse.GetValue(model), bytes, what, c, n, w, parse.GetValue(idle)).GetAwaiter().GetResult();
        });
        return command;
    }

    private static (byte[] Bytes, string What) Bomb(string size)
    {
        var parts = size.Split('x', 'X');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w < 3 || h < 3 || (long)w * h > 1_000_000_000)
            throw new UserError($"--pixel-bomb {size}: give WIDTHxHEIGHT, e.g. 6000x6000 (at most a gigapixel)");
        var png = PixelBomb.Png(w, h);
        return (png, $"pixel bomb, PNG {w}x{h} ({(long)w * h / 1e6:0.#} MP), {png.Length:N0} bytes");
    }

    private static (byte[] Bytes, string What) Image(string? path)
    {
        if (path is null)
        {
            var png = SampleDigit.SevenPng();
            return (png, $"drawn 7, PNG 280x280, {png.Length:N0} bytes");
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--image {path}: {e.Message}");
        }
        var header = ImageHeader.Read(bytes) ?? throw new UserError($"--image {path}: not an image");
        return (bytes, $"{Path.GetFileName(path)}, {header.Format.ToUpperInvariant()} {header.Width}x{header.Height}, {bytes.Length:N0} bytes");
    }

    private static async Task<int> RunAsync(string? target, string? folder, string? modelName, byte[] image, string what, int clients, int requests, int warmup, int idleSeconds)
    {
        ServeHost? host = null;
        try
        {
            if (target is null)
            {
                host = await ServeHost.StartAsync(new ServeOptions { ModelsFolder = folder!, Urls = ["http://127.0.0.1:0"] },
                    logging => logging.AddLineConsole().SetMinimumLevel(LogLevel.Warning), Interrupt.Token);
                target = host.Urls[0];
            }
            var baseUri = new Uri(target.TrimEnd('/') + "/");
            string name = await PickModelAsync(baseUri, modelName);
            var predict = new Uri(baseUri, $"api/models/{Uri.EscapeDataString(name)}/predict");
            string load = LoadAverage.Now();
            Console.WriteLine($"bench: POST {predict} ({what}){(host is null ? "" : ", server in this process")}");
            Console.WriteLine($"       {clients} clients, {requests:N0} requests after {warmup:N0} warm-up; load average before: {load}");

            if (warmup > 0)
            {
                var warm = await LoadBenchmark.RunAsync(predict, image, "application/octet-stream", clients, warmup, cancel: Interrupt.Token);
                if (warm.Errors > 0) throw new UserError($"warm-up: {warm.Errors} of {warmup} requests failed; first: {warm.ErrorSamples[0]}");
            }
            long before = ResidentMemory.CurrentBytes();
            using var memory = ResidentMemory.Sample();
            var result = ProgressDisplay.Run("bench serve", requests, sink =>
            {
                var gate = new object();
                var progress = new InlineProgress<int>(done => { lock (gate) sink.Report(done); });
                return LoadBenchmark.RunAsync(predict, image, "application/octet-stream", clients, requests, progress, Interrupt.Token).GetAwaiter().GetResult();
            });
            long peak = memory.PeakBytes;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests/s: {result.RequestsPerSecond:F1} ({result.Requests:N0} in {result.Elapsed.TotalSeconds:F2} s, {clients} clients)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency ms: p50 {result.Percentile(50):F1}, p90 {result.Percentile(90):F1}, p99 {result.Percentile(99):F1}, max {result.LatenciesMs.Max():F1}"));
            Console.WriteLine($"errors:     {result.Errors}");
            Console.WriteLine($"load average after: {LoadAverage.Now()}");
            string who = host is null ? "this client process (the server's is its own: watch its RSS)" : "this process (server and clients)";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"resident memory of {who}: {Mb(before)} before, peak {Mb(peak)} under load; GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}"));
            for (int t = 10; t <= idleSeconds; t += 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), Interrupt.Token);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  idle {t,3} s: {Mb(ResidentMemory.CurrentBytes())}"));
            }
            if (result.Errors > 0) throw new UserError($"{result.Errors} of {result.Requests} requests failed; first: {result.ErrorSamples[0]}");
            return ExitCodes.Ok;
        }
        catch (HttpRequestException e)
        {
            throw new UserError($"cannot reach {target}: {e.Message}");
        }
        finally
        {
            if (host is not null) await host.DisposeAsync();
        }
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F0} MB");

    private static async Task<string> PickModelAsync(Uri baseUri, string? wanted)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var models = await http.GetFromJsonAsync<List<ModelInfo>>(new Uri(baseUri, "api/models"), Interrupt.Token) ?? [];
        if (wanted is not null)
            return models.Any(m => m.Name == wanted) ? wanted
                : throw new UserError($"--model {wanted}: not served (served: {string.Join(", ", models.Select(m => m.Name))})");
        return (models.FirstOrDefault(m => m.Name == "digits") ?? models.FirstOrDefault())?.Name
            ?? throw new UserError("the server has no models: put a model .zip in its folder");
    }
}
