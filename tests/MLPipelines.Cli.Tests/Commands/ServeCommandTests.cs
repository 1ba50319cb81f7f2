using System.Net;
using System.Net.Sockets;
using MLPipelines.Data;
using MLPipelines.Tests.Support;
using static MLPipelines.Tests.Support.CliRunner;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary>
/// <c>mlp serve</c> and <c>mlp bench serve</c> as commands: their options and failures. The server itself
/// is tested in MLPipelines.Serving.Tests.
/// </summary>
[TestClass]
public sealed class ServeCommandTests
{
    [TestMethod]
    public void MissingModelsFolder_IsOneErrorLine()
    {
        var (code, _, error) = Mlp("serve", "--models", "/nonexistent/models");
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "models folder not found: /nonexistent/models");
    }

    [TestMethod]
    [DataRow("https://127.0.0.1:5000", "not an http:// address")]
    [DataRow("127.0.0.1:5000", "not an http:// address")]
    [DataRow("http://127.0.0.1:5000/api", "has a path")]
    public void BadUrls_AreOneErrorLine(string urls, string message)
    {
        using var folder = new TempDir();
        var (code, _, error) = Mlp("serve", "--models", folder.Path, "--urls", urls);
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, message);
    }

    [TestMethod]
    public void BusyPort_IsOneErrorLine()
    {
        using var folder = new TempDir();
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            int port = ((IPEndPoint)busy.LocalEndpoint).Port;
            var (code, _, error) = Mlp("serve", "--models", folder.Path, "--urls", $"http://127.0.0.1:{port}");
            Assert.AreEqual(1, code);
            AssertOneErrorLine(error, "cannot listen");
        }
        finally
        {
            busy.Stop();
        }
    }

    [TestMethod]
    public void BenchServe_PrintsThroughputLatencyAndErrors()
    {
        string model = Path.Combine(ProjectRoot.Find(AppContext.BaseDirectory)!, "models", "digits.zip");
        if (!File.Exists(model)) Assert.Fail($"{model} is missing: the committed digit model");
        using var folder = new TempDir();
        File.Copy(model, folder.File("digits.zip"));
        var (code, output, error) = Mlp("bench", "serve", "--models", folder.Path, "--clients", "2", "--requests", "20", "--warmup", "2");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "api/models/digits/predict");
        StringAssert.Matches(output, new System.Text.RegularExpressions.Regex(@"requests/s: \d+\.\d \(20 in "));
        StringAssert.Matches(output, new System.Text.RegularExpressions.Regex(@"latency ms: p50 [\d.]+, p90 [\d.]+, p99 [\d.]+, max [\d.]+"));
        StringAssert.Contains(output, "errors:     0");
    }

    [TestMethod]
    public void BenchServe_BadOptions_AreOneErrorLine()
    {
        var (code, _, error) = Mlp("bench", "serve", "--clients", "0");
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "--clients");
        using var folder = new TempDir();
        (code, _, error) = Mlp("bench", "serve", "--models", folder.Path, "--requests", "5");
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "no models");
        (code, _, error) = Mlp("bench", "serve", "--image", "/nonexistent.png");
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "--image /nonexistent.png");
    }
}
