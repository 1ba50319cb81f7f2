using MLPipelines.Training;
using MLPipelines.Training.Benchmarks;
using MLPipelines.Tests.Support;

namespace MLPipelines.Training.Tests.Benchmarks;

/// <summary>The PyTorch reference of mlp bench train --vs-pytorch: the same network, trained and tested by the embedded script.</summary>
[TestClass]
public sealed class PyTorchReferenceTests
{
    [TestMethod]
    [RequiresData("mnist")]
    public void TheScriptTrainsTheSameNetworkOnTheSameFiles_AndReportsItsEpoch()
    {
        var (python, version, why) = PyTorchReference.Find();
        if (python is null) Assert.Inconclusive($"no PyTorch here: {why}");
        string mnist = Path.Combine(TestData.RequireRoot(), "mnist");
        using var dir = new TempDir();
        // The test set's first 3,000 digits to train on and the next 1,000 to test: an epoch of seconds.
        var files = new IdxFiles(Subset(mnist, "t10k-images-idx3-ubyte.gz", 0, 3000, dir.File("train-images")), Subset(mnist, "t10k-labels-idx1-ubyte.gz", 0, 3000, dir.File("train-labels")),
            Subset(mnist, "t10k-images-idx3-ubyte.gz", 3000, 1000, dir.File("test-images")), Subset(mnist, "t10k-labels-idx1-ubyte.gz", 3000, 1000, dir.File("test-labels")));
        var epoch = PyTorchReference.RunEpoch(files, Recipes.Assignment, threads: 1, dropout: 0.5, seed: 1, python!);
        Console.WriteLine($"PyTorch {version}: {epoch}");
        Assert.AreEqual(version, epoch.TorchVersion);
        Assert.AreEqual(21_840, epoch.Parameters, "the assignment's network");
        Assert.AreEqual(3000, epoch.TrainImages);
        Assert.AreEqual(1000, epoch.TestImages);
        Assert.AreEqual(1, epoch.Threads);
        Assert.IsGreaterThan(0.2, epoch.TestAccuracy, "47 batches learn (chance: 0.1; about 0.28 with this recipe)");
        Assert.IsGreaterThan(0.0, epoch.TrainSeconds);
    }

    [TestMethod]
    public void APythonWithoutTorch_IsOneLineSayingWhatToInstall()
    {
        var (python, _, why) = PyTorchReference.Find(Path.Combine(Path.GetTempPath(), "no-such-python"));
        Assert.IsNull(python);
        StringAssert.Contains(why, "install");
        Assert.IsFalse(why!.Contains('\n'));
    }

    /// <summary>Items [start, start + count) of an IDX file, written as a plain IDX file.</summary>
    private static string Subset(string folder, string name, int start, int count, string path)
    {
        var idx = Data.Idx.IdxReader.Read(Path.Combine(folder, name));
        using var w = new BinaryWriter(File.Create(path));
        w.Write(new byte[] { 0, 0, 8, (byte)idx.Shape.Length });
        foreach (int d in new[] { count }.Concat(idx.Shape.Skip(1))) w.Write(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(d));
        w.Write(idx.Data, start * idx.ItemSize, count * idx.ItemSize);
        return path;
    }
}
