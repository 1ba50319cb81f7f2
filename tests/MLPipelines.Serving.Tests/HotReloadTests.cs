using System.Net;
using System.Net.Http.Json;
using MLPipelines.Serving.Api;
using MLPipelines.Serving.Tests.Support;

namespace MLPipelines.Serving.Tests;

/// <summary>Model files added, replaced, broken and removed while the server runs, under load.</summary>
[TestClass]
public sealed class HotReloadTests
{
    [TestMethod]
    public async Task ReplacingAModelAtomically_UnderLoad_FailsNoRequest()
    {
        await using var server = await TestServer.StartAsync();
        var first = server.Host.Models.Models.Single();
        string variant = Path.Combine(Path.GetTempPath(), $"mlp-variant-{Guid.NewGuid():N}.zip");
        ModelVariants.WithWordClasses(TestFiles.DigitModel, variant);
        byte[] png = File.ReadAllBytes(TestFiles.Digit("drawn", 3));

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var labels = new List<(int Version, string Label)>();
        async Task Client()
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await server.Http.PostAsync("api/models/digits/predict", new ByteArrayContent(png));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    string failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    lock (failures) failures.Add(failure);
                    continue;
                }
                var p = (await response.Content.ReadFromJsonAsync<PredictResponse>())!;
                lock (labels) labels.Add((p.Version, p.Label));
            }
        }
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(Client)).ToList();
        try
        {
            await TestServer.WaitUntilAsync(() => Task.FromResult(labels.Count >= 8), "the clients are running");
            ModelVariants.ReplaceAtomically(variant, Path.Combine(server.Folder, "digits.zip"));
            await TestServer.WaitUntilAsync(async () => (await server.ModelsAsync()).Single().Version == 2, "version 2 is served");
            int atSwap = labels.Count;
            await TestServer.WaitUntilAsync(() => Task.FromResult(labels.Count >= atSwap + 8), "requests are answered by version 2");
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(clients);
            File.Delete(variant);
        }

        Assert.IsEmpty(failures, string.Join("; ", failures.Take(3)));
        var info = (await server.ModelsAsync()).Single();
        CollectionAssert.AreEqual(ModelVariants.Words, info.Classes.ToArray());
        Assert.IsTrue(labels.Where(l => l.Version == 1).All(l => l.Label.Length == 1), "version 1 answers with digits");
        Assert.IsTrue(labels.Where(l => l.Version == 2).All(l => ModelVariants.Words.Contains(l.Label)), "version 2 answers with words");
        Assert.IsTrue(labels.Any(l => l.Version == 2));
        Assert.IsTrue(first.Disposed, "the replaced version is released once its last request is done");
    }

    [TestMethod]
    public async Task BrokenReplacement_KeepsServingThePreviousVersion_UntilAGoodOneArrives()
    {
        await using var server = await TestServer.StartAsync();
        string broken = Path.Combine(server.Folder, "..", $"broken-{Guid.NewGuid():N}.zip");
        File.WriteAllText(broken, "not a zip file");
        try
        {
            ModelVariants.ReplaceAtomically(broken, Path.Combine(server.Folder, "digits.zip"));
        }
        finally
        {
            File.Delete(broken);
        }
        await TestServer.WaitUntilAsync(async () => (await Health(server)).Problems.Any(p => p.File == "digits.zip"), "the broken file is reported");

        var health = await Health(server);
        StringAssert.Contains(health.Problems.Single().Error, "not a zip");
        CollectionAssert.AreEqual(new[] { "digits" }, health.Models.ToArray());
        var p = await PredictAsync(server, "digits");
        Assert.AreEqual(1, p.Version, "still the first version");

        ModelVariants.ReplaceAtomically(TestFiles.DigitModel, Path.Combine(server.Folder, "digits.zip"));
        await TestServer.WaitUntilAsync(async () => (await server.ModelsAsync()).Single().Version == 2, "the good file is loaded");
        Assert.IsEmpty((await Health(server)).Problems);
    }

    [TestMethod]
    public async Task ModelFiles_AddedAndRemoved_AppearAndDisappear()
    {
        await using var server = await TestServer.StartAsync();
        File.Copy(TestFiles.DigitModel, Path.Combine(server.Folder, "digits-copy.zip"));
        File.WriteAllText(Path.Combine(server.Folder, "notes.txt"), "not a model");
        File.Copy(TestFiles.DigitModel, Path.Combine(server.Folder, "bad name.zip"));
        await TestServer.WaitUntilAsync(async () => (await server.ModelsAsync()).Any(m => m.Name == "digits-copy"), "the new model is served");
        Assert.AreEqual("digits-copy", (await PredictAsync(server, "digits-copy")).Model);
        await TestServer.WaitUntilAsync(async () => (await Health(server)).Problems.Any(p => p.File == "bad name.zip"), "the unservable name is reported");

        File.Delete(Path.Combine(server.Folder, "digits-copy.zip"));
        await TestServer.WaitUntilAsync(async () => (await server.ModelsAsync()).All(m => m.Name != "digits-copy"), "the removed model is gone");
        using var response = await server.Http.PostAsync("api/models/digits-copy/predict", new ByteArrayContent(File.ReadAllBytes(TestFiles.Digit("drawn", 3))));
        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        CollectionAssert.AreEqual(new[] { "digits" }, (await server.ModelsAsync()).Select(m => m.Name).ToArray());
    }

    private static async Task<HealthResponse> Health(TestServer server) => (await server.Http.GetFromJsonAsync<HealthResponse>("health"))!;

    private static async Task<PredictResponse> PredictAsync(TestServer server, string model)
    {
        using var response = await server.Http.PostAsync($"api/models/{model}/predict", new ByteArrayContent(File.ReadAllBytes(TestFiles.Digit("drawn", 3))));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PredictResponse>())!;
    }
}
