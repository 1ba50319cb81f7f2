using System.Security.Cryptography;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.Download;
using MLPipelines.Tests.Support;

namespace MLPipelines.Data.Tests;

[TestClass]
public sealed class DownloaderTests
{
    // A tiny data set with real checksums, served from 127.0.0.1.
    private static readonly byte[] TrainImages = IdxFiles.Images(3, fill: 1);
    private static readonly byte[] TrainLabels = IdxFiles.Labels(1, 2, 3);
    private static readonly byte[] TestImages = IdxFiles.Images(2, fill: 2);
    private static readonly byte[] TestLabels = IdxFiles.Labels(4, 5);

    private static IdxDatasetSpec Spec(params string[] mirrors) => new(
        "tiny", "tiny", mirrors,
        new("train-images-idx3-ubyte", Sha(TrainImages)),
        new("train-labels-idx1-ubyte", Sha(TrainLabels)),
        new("t10k-images-idx3-ubyte", Sha(TestImages)),
        new("t10k-labels-idx1-ubyte", Sha(TestLabels)),
        KnownDatasets.Mnist.ClassNames);

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    private static void ServeAll(LocalHttpServer server, string prefix, bool corruptTestLabels = false)
    {
        server.Add(prefix + "train-images-idx3-ubyte.gz", IdxFiles.Gzip(TrainImages));
        server.Add(prefix + "train-labels-idx1-ubyte.gz", IdxFiles.Gzip(TrainLabels));
        server.Add(prefix + "t10k-images-idx3-ubyte.gz", IdxFiles.Gzip(TestImages));
        server.Add(prefix + "t10k-labels-idx1-ubyte.gz", IdxFiles.Gzip(corruptTestLabels ? IdxFiles.Labels(4, 6) : TestLabels));
    }

    [TestMethod]
    public async Task DownloadsVerifiesAndPlacesEveryFile()
    {
        using var server = new LocalHttpServer();
        ServeAll(server, "mnist/");
        using var dir = new TempDir();
        using var http = new HttpClient();
        var reports = new List<DownloadProgress>();

        var fetched = await new DatasetDownloader(http).FetchMissingAsync(Spec(server.BaseUrl + "mnist/"), dir.Path, new SyncProgress(reports.Add));

        Assert.AreEqual(4, fetched.Count);
        Assert.IsTrue(IdxDatasetLoader.IsComplete(Spec(), dir.Path));
        Assert.AreEqual(2, IdxDatasetLoader.Load(Spec(), dir.Path, DataSplit.Test).Count);
        Assert.IsTrue(reports.Any(r => r.TotalBytes > 0 && r.BytesReceived == r.TotalBytes), "progress reached 100%");
        Assert.IsFalse(Directory.GetFiles(dir.Path).Any(f => f.EndsWith(".part")));

        // Complete now: a second call fetches nothing.
        var again = await new DatasetDownloader(http).FetchMissingAsync(Spec(server.BaseUrl + "mnist/"), dir.Path);
        Assert.AreEqual(0, again.Count);
    }

    [TestMethod]
    public async Task FallsBackToTheNextMirrorInOrder()
    {
        using var server = new LocalHttpServer();
        ServeAll(server, "second/");
        using var dir = new TempDir();
        using var http = new HttpClient();

        await new DatasetDownloader(http).FetchMissingAsync(Spec(server.BaseUrl + "first/", server.BaseUrl + "second/"), dir.Path);

        Assert.IsTrue(IdxDatasetLoader.IsComplete(Spec(), dir.Path));
        Assert.IsTrue(server.Requests.IndexOf("first/train-images-idx3-ubyte.gz") < server.Requests.IndexOf("second/train-images-idx3-ubyte.gz"));
    }

    [TestMethod]
    public async Task CorruptFileIsAChecksumErrorAndLeavesNothingBehind()
    {
        using var server = new LocalHttpServer();
        ServeAll(server, "m/", corruptTestLabels: true);
        using var dir = new TempDir();
        using var http = new HttpClient();

        var e = await Assert.ThrowsExactlyAsync<DownloadException>(() =>
            new DatasetDownloader(http).FetchMissingAsync(Spec(server.BaseUrl + "m/"), dir.Path));

        StringAssert.Contains(e.Message, "checksum");
        StringAssert.Contains(e.Message, "t10k-labels");
        Assert.IsFalse(File.Exists(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte.gz")));
        Assert.IsFalse(Directory.GetFiles(dir.Path).Any(f => f.Contains(".part")), "no partial file left");
    }

    [TestMethod]
    public async Task ServerDownIsAClearError()
    {
        int port = LocalHttpServer.FreePort();  // nothing listens here
        using var dir = new TempDir();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var e = await Assert.ThrowsExactlyAsync<DownloadException>(() =>
            new DatasetDownloader(http).FetchMissingAsync(Spec($"http://127.0.0.1:{port}/"), dir.Path));

        StringAssert.Contains(e.Message, "could not download train-images-idx3-ubyte.gz");
        StringAssert.Contains(e.Message, $"127.0.0.1:{port}");
        Assert.AreEqual(0, Directory.GetFiles(dir.Path).Length);
    }

    [TestMethod]
    public async Task AFileThatFailsItsChecksumIsNeverReplacedByFetching()
    {
        using var server = new LocalHttpServer();
        ServeAll(server, "m/");
        using var dir = new TempDir();
        using var http = new HttpClient();
        byte[] users = IdxFiles.Labels(9, 9, 9);
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), users);

        var fetched = await new DatasetDownloader(http).FetchMissingAsync(Spec(server.BaseUrl + "m/"), dir.Path);

        Assert.AreEqual(3, fetched.Count, "only the missing files");
        CollectionAssert.AreEqual(users, File.ReadAllBytes(dir.File("train-labels-idx1-ubyte")));
        Assert.IsFalse(server.Requests.Contains("m/train-labels-idx1-ubyte.gz"));
        Assert.IsTrue(IdxDatasetLoader.Check(Spec(), dir.Path).Single(s => !s.Ok).Bad);
    }

    [TestMethod]
    public async Task RepairMovesBadFilesAsideUnderFreshNamesAndFetchesVerifiedCopies()
    {
        using var server = new LocalHttpServer();
        ServeAll(server, "m/");
        using var dir = new TempDir();
        using var http = new HttpClient();
        string bad = dir.File("train-labels-idx1-ubyte");
        File.WriteAllBytes(bad, IdxFiles.Labels(9, 9, 9));
        File.WriteAllText(bad + ".bad", "an earlier repair's copy");

        var result = await new DatasetDownloader(http).RepairAsync(Spec(server.BaseUrl + "m/"), dir.Path);

        Assert.AreEqual((bad, bad + ".bad.1"), result.MovedAside.Single());
        Assert.AreEqual("an earlier repair's copy", File.ReadAllText(bad + ".bad"), "never over an earlier copy");
        CollectionAssert.AreEqual(IdxFiles.Labels(9, 9, 9), File.ReadAllBytes(bad + ".bad.1"));
        Assert.AreEqual(4, result.Fetched.Count);
        Assert.IsTrue(IdxDatasetLoader.IsComplete(Spec(), dir.Path));
    }

    [TestMethod]
    public async Task ARepairWhoseDownloadFailsKeepsTheMovedFile()
    {
        using var server = new LocalHttpServer();
        ServeAll(server, "m/", corruptTestLabels: true);
        using var dir = new TempDir();
        using var http = new HttpClient();
        foreach (var (name, bytes) in new[] { ("train-images-idx3-ubyte", TrainImages), ("train-labels-idx1-ubyte", TrainLabels), ("t10k-images-idx3-ubyte", TestImages) })
            File.WriteAllBytes(dir.File(name), bytes);
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), IdxFiles.Labels(7, 7));

        await Assert.ThrowsExactlyAsync<DownloadException>(() => new DatasetDownloader(http).RepairAsync(Spec(server.BaseUrl + "m/"), dir.Path));

        CollectionAssert.AreEqual(IdxFiles.Labels(7, 7), File.ReadAllBytes(dir.File("t10k-labels-idx1-ubyte.bad")));
        Assert.IsFalse(Directory.GetFiles(dir.Path).Any(f => f.EndsWith(".part")));
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
