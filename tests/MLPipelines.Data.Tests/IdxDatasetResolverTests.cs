using MLPipelines.Data.Datasets;
using MLPipelines.Tests.Support;

namespace MLPipelines.Data.Tests;

/// <summary>A data set by name or by folder, and where a folder's class names come from.</summary>
[TestClass]
public sealed class IdxDatasetResolverTests
{
    [TestMethod]
    public void NamesAreTheKnownSets()
    {
        Assert.AreSame(KnownDatasets.Mnist, IdxDatasetResolver.Resolve("mnist"));
        Assert.AreSame(KnownDatasets.FashionMnist, IdxDatasetResolver.Resolve("Fashion-MNIST"));
        Assert.IsTrue(KnownDatasets.Mnist.Verifiable);
    }

    [TestMethod]
    public void AFolderTakesItsClassNamesFromClassesTxtElseTheOption()
    {
        using var dir = new TempDir();
        IdxFiles.WriteDataset(dir.Path, classes: 3);
        var numbered = IdxDatasetResolver.Resolve(dir.Path);
        CollectionAssert.AreEqual(new[] { "0", "1", "2" }, numbered.ClassNames.ToArray(), "0..N-1 from the labels");
        Assert.AreEqual(dir.Path, numbered.Location);
        Assert.AreEqual(dir.Path, numbered.Reference);
        Assert.IsFalse(numbered.Verifiable, "a folder's set has no checksums");

        File.WriteAllLines(dir.File(IdxDatasetResolver.ClassesFile), ["circle", "", "square ", "triangle"]);
        CollectionAssert.AreEqual(new[] { "circle", "square", "triangle" }, IdxDatasetResolver.Resolve(dir.Path).ClassNames.ToArray());

        var given = IdxDatasetResolver.Resolve(dir.Path, IdxDatasetResolver.ParseClassList("a, b,c,d"));
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, given.ClassNames.ToArray(), "the option wins; more names than labels is fine");
        Assert.AreEqual(300, IdxDatasetLoader.Load(given, dir.Path, DataSplit.Train).Count);
    }

    [TestMethod]
    [DataRow("file", "is a file")]
    [DataRow("nowhere", "unknown data set")]
    [DataRow("incomplete", "t10k-labels-idx1-ubyte(.gz) missing")]
    [DataRow("few-names", "the labels use 3 classes but 2 class names")]
    [DataRow("duplicate-names", "appears twice")]
    public void WhatIsNotAUsableFolderIsOneClearError(string what, string message)
    {
        using var dir = new TempDir();
        string path = dir.File("set");
        IReadOnlyList<string>? classes = null;
        switch (what)
        {
            case "file": File.WriteAllText(path, "x"); break;
            case "nowhere": break;
            case "incomplete":
                IdxFiles.WriteDataset(path, 3);
                File.Delete(Path.Combine(path, "t10k-labels-idx1-ubyte.gz"));
                break;
            case "few-names":
                IdxFiles.WriteDataset(path, 3);
                classes = ["a", "b"];
                break;
            case "duplicate-names":
                IdxFiles.WriteDataset(path, 3);
                File.WriteAllLines(Path.Combine(path, IdxDatasetResolver.ClassesFile), ["a", "b", "a"]);
                break;
        }
        var e = Assert.ThrowsExactly<DatasetException>(() => IdxDatasetResolver.Resolve(path, classes));
        StringAssert.Contains(e.Message, message);
    }

    [TestMethod]
    public void ClassNamesAreForFolderSetsOnly()
    {
        var e = Assert.ThrowsExactly<DatasetException>(() => IdxDatasetResolver.Resolve("mnist", ["a", "b"]));
        StringAssert.Contains(e.Message, "has its own class names");
    }
}
