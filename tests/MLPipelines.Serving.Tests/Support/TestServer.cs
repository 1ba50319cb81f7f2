using System.Net.Http.Json;
using MLPipelines.Serving.Api;
using MLPipelines.Tests.Support;
using Microsoft.Extensions.Logging;

namespace MLPipelines.Serving.Tests.Support;

/// <summary>
/// A real server (Kestrel) on 127.0.0.1, on a port the system picks, serving a temporary folder that holds a
/// copy of the committed digit model (and of others asked for), so tests can add, replace and break model files freely.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly TempDir folder;
    private readonly ServeHost host;

    private TestServer(TempDir folder, ServeHost host)
    {
        this.folder = folder;
        this.host = host;
        BaseUrl = host.Urls.Single().TrimEnd('/') + "/";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public string Folder => folder.Path;
    public ServeHost Host => host;

    public static async Task<TestServer> StartAsync(Func<ServeOptions, ServeOptions>? configure = null, params string[] alsoServe)
    {
        var folder = new TempDir();
        File.Copy(TestFiles.DigitModel, folder.File("digits.zip"));
        foreach (string model in alsoServe) File.Copy(model, folder.File(Path.GetFileName(model)));
        var options = new ServeOptions
        {
            ModelsFolder = folder.Path,
            Urls = ["http://127.0.0.1:0"],
            ReloadDelay = TimeSpan.FromMilliseconds(200),
            RescanInterval = TimeSpan.FromSeconds(2),
        };
        options = configure?.Invoke(options) ?? options;
        var host = await ServeHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.None));
        return new TestServer(folder, host);
    }

    public async Task<List<ModelInfo>> ModelsAsync() => (await Http.GetFromJsonAsync<List<ModelInfo>>("api/models"))!;

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {seconds} s waiting until {what}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await host.DisposeAsync();
        folder.Dispose();
    }
}
