using System.Security.Cryptography;
using MLPipelines.Tests.Support;
using static MLPipelines.Tests.Support.CliRunner;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary>
/// A user's data file is never deleted or overwritten: a file that fails its checksum stops the command, with a
/// mirror reachable and all, until <c>mlp data --repair</c> is asked to move it aside and download a verified copy.
/// </summary>
[TestClass]
public sealed class DataSafetyTests
{
    private const string Labels = "train-labels-idx1-ubyte";

    /// <summary>The shared MNIST, with train labels raw and one byte changed; and a mirror serving the real files.</summary>
    private static (TempDir Data, string Changed, LocalHttpServer Mirror) UsersCopyWithOneByteChanged()
    {
        var data = new TempDir();
        foreach (string f in Directory.GetFiles(TestData.Mnist, "*.gz").Where(f => !f.Contains(Labels)))
            File.Copy(f, data.File(Path.GetFileName(f)));
        byte[] raw = MLPipelines.Data.Idx.IdxReader.Read(Path.Combine(TestData.Mnist, Labels + ".gz")) is var labels
            ? IdxFiles.Build(0x08, labels.Shape, labels.Data) : [];
        raw[^1] ^= 1;
        string changed = data.File(Labels);
        File.WriteAllBytes(changed, raw);
        var mirror = new LocalHttpServer();
        foreach (string f in Directory.GetFiles(TestData.Mnist, "*.gz")) mirror.Add("mnist/" + Path.GetFileName(f), File.ReadAllBytes(f));
        return (data, changed, mirror);
    }

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [TestMethod]
    [RequiresData("mnist")]
    public void AChecksumMismatchKeepsTheUsersFileAndStops()
    {
        var (data, changed, mirror) = UsersCopyWithOneByteChanged();
        using var dataDir = data;
        using var server = mirror;
        using var runs = new TempDir();
        string before = Sha(changed);

        var (code, output, error) = Mlp("data", "--data", data.Path, "--mirror", mirror.BaseUrl + "mnist/");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "MISMATCH");
        AssertOneErrorLine(error, "train-labels-idx1-ubyte: checksum mismatch");
        StringAssert.Contains(error, "kept unchanged");
        StringAssert.Contains(error, "mlp data --repair");

        (code, output, error) = Mlp("mnist", "train", "--data", data.Path, "--runs", runs.Path, "--epochs", "1", "--train-limit", "100");
        Assert.AreEqual(1, code);
        AssertOneErrorLine(error, "checksum mismatch");

        Assert.AreEqual(before, Sha(changed), "the user's bytes are unchanged");
        Assert.IsEmpty(mirror.Requests, "nothing was downloaded");
        Assert.IsFalse(File.Exists(data.File(Labels + ".gz")), "no download was put beside it");
    }

    [TestMethod]
    [RequiresData("mnist")]
    public void RepairMovesTheBadFileAsideAndDownloadsAVerifiedCopy()
    {
        var (data, changed, mirror) = UsersCopyWithOneByteChanged();
        using var dataDir = data;
        using var server = mirror;
        string before = Sha(changed);

        var (code, output, error) = Mlp("data", "--data", data.Path, "--mirror", mirror.BaseUrl + "mnist/", "--repair");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, $"moved {changed} aside to {changed}.bad");
        Assert.AreEqual(before, Sha(changed + ".bad"), "the user's file is kept, under NAME.bad");
        Assert.IsFalse(File.Exists(changed));
        Assert.IsTrue(File.Exists(data.File(Labels + ".gz")));
        CollectionAssert.AreEqual(new[] { "mnist/" + Labels + ".gz" }, mirror.Requests);

        (code, output, error) = Mlp("data", "--data", data.Path, "--no-fetch");
        Assert.AreEqual(0, code, error);
        Assert.IsFalse(output.Contains("MISMATCH"));
    }

    [TestMethod]
    public void ADataPathThatIsAFileIsOneErrorLineBeforeAnyDownload()
    {
        using var dir = new TempDir();
        string file = dir.File("afile.txt");
        File.WriteAllText(file, "not a folder");
        using var mirror = new LocalHttpServer();
        foreach (var args in new[] { new[] { "data", "--data", file, "--mirror", mirror.BaseUrl }, ["mnist", "train", "--data", file, "--runs", dir.File("runs")] })
        {
            var (code, output, error) = Mlp(args);
            Assert.AreEqual(1, code, string.Join(' ', args));
            AssertOneErrorLine(error, "is a file, not a folder");
            Assert.IsFalse((output + error).Contains("downloading"), "no download is started");
        }
        Assert.IsEmpty(mirror.Requests);
        Assert.AreEqual("not a folder", File.ReadAllText(file));
    }
}
