using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MLPipelines.Core.Imaging;
using MLPipelines.Serving.Models;
using MLPipelines.Serving.Tests.Support;
using MLPipelines.Tests.Support;

namespace MLPipelines.Serving.Tests;

/// <summary>The ASP.NET Core integration: models registered as services, predicted by name, and the sample app on it.</summary>
[TestClass]
public sealed class ImageClassifierPoolTests
{
    private static ServiceProvider Services(Action<ImageClassifierPoolOptions> configure) =>
        new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.None)).AddImageClassifiers(configure).BuildServiceProvider();

    [TestMethod]
    public void ANamedFileIsAnInjectablePoolThatPredictsByName()
    {
        using var services = Services(o => o.AddImageClassifier("numbers", TestFiles.DigitModel));
        var pool = services.GetRequiredService<ImageClassifierPool>();
        Assert.AreSame(pool, services.GetRequiredService<ImageClassifierPool>(), "one pool for the app");
        CollectionAssert.AreEqual(new[] { "numbers" }, pool.Names.ToArray());

        var answers = Enumerable.Range(0, 10).AsParallel().Select(d => pool.Predict("numbers", File.ReadAllBytes(TestFiles.Digit("drawn", d))).Label).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray(), answers.ToArray(), "thread-safe, every drawn digit right");

        var e = Assert.ThrowsExactly<KeyNotFoundException>(() => pool.Predict("letters", File.ReadAllBytes(TestFiles.Digit("drawn", 3))));
        StringAssert.Contains(e.Message, "served: numbers");
        Assert.ThrowsExactly<InvalidImageException>(() => pool.Predict("numbers", "not an image"u8));
    }

    [TestMethod]
    public void AFolderServesEachFileAndAWatchedOneIsReloadedWhenReplaced()
    {
        using var dir = new TempDir();
        File.Copy(TestFiles.DigitModel, dir.File("digits.zip"));
        File.Copy(TestFiles.DigitModel, dir.File("copy.zip"));
        using var services = Services(o =>
        {
            o.FromFolder(dir.Path, watchForChanges: true);
            o.ReloadDelay = TimeSpan.FromMilliseconds(100);
            o.RescanInterval = TimeSpan.FromSeconds(1);
        });
        var pool = services.GetRequiredService<ImageClassifierPool>();
        CollectionAssert.AreEqual(new[] { "copy", "digits" }, pool.Names.ToArray());
        foreach (var hosted in services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()) hosted.StartAsync(default).Wait();

        File.Delete(dir.File("copy.zip"));
        var clock = Stopwatch.StartNew();
        while (pool.Names.Count != 1 && clock.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(100);
        CollectionAssert.AreEqual(new[] { "digits" }, pool.Names.ToArray(), "a removed file stops being served");
        foreach (var hosted in services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()) hosted.StopAsync(default).Wait();
    }

    [TestMethod]
    [TestCategory("slow")]
    public void TheSampleMinimalApiAppPredictsUploadedPhotos()
    {
        string dll = Path.Combine(TestFiles.ProjectRoot, "samples", "DigitsWebApi", "bin", "Release", "net10.0", "DigitsWebApi.dll");
        if (!File.Exists(dll)) Assert.Fail($"{dll} is missing: build the solution in Release");
        using var models = new TempDir();
        File.Copy(TestFiles.DigitModel, models.File("digits.zip"));
        int port = FreePort();
        using var app = Process.Start(new ProcessStartInfo("dotnet", [dll, "--Models", models.Path, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        app.OutputDataReceived += (_, _) => { };   // drained, so a chatty log cannot fill the pipe and block the app
        app.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
            WaitUntilListening(http, app);
            foreach (int digit in new[] { 3, 7 })
            {
                using var response = http.PostAsync("predict/digits", new ByteArrayContent(File.ReadAllBytes(TestFiles.Digit("photos", digit)))).Result;
                string body = response.Content.ReadAsStringAsync().Result;
                Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
                Assert.AreEqual(digit.ToString(), JsonDocument.Parse(body).RootElement.GetProperty("label").GetString(), body);
            }
            using var unknown = http.PostAsync("predict/letters", new ByteArrayContent([1, 2, 3])).Result;
            Assert.AreEqual(HttpStatusCode.NotFound, unknown.StatusCode);
            using var junk = http.PostAsync("predict/digits", new ByteArrayContent("junk"u8.ToArray())).Result;
            Assert.AreEqual(HttpStatusCode.BadRequest, junk.StatusCode);
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
        }
    }

    private static void WaitUntilListening(HttpClient http, Process app)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (app.HasExited) Assert.Fail($"the sample app exited ({app.ExitCode}): {app.StandardError.ReadToEnd()}");
            try
            {
                if (http.GetAsync("models").Result.IsSuccessStatusCode) return;
            }
            catch (AggregateException) { }
            Thread.Sleep(200);
        }
        Assert.Fail("the sample app did not start listening within 60 s");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
