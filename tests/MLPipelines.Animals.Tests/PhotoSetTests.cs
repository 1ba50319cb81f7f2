using MLPipelines.Animals.Data;
using MLPipelines.Animals.Tests.Support;
using MLPipelines.Tests.Support;

namespace MLPipelines.Animals.Tests;

[TestClass]
public sealed class PhotoSetTests
{
    [TestMethod]
    public void HymenopteraKeepsItsSplitAndSkipsThePlaceholderGif()
    {
        var set = PhotoSetLoader.Load(AnimalsData.Hymenoptera);
        Assert.AreEqual(PhotoSetLayout.GivenSplit, set.Layout);
        CollectionAssert.AreEqual(new[] { "ants", "bees" }, set.ClassNames.ToArray());
        Assert.AreEqual(397, set.Photos.Count);
        Assert.AreEqual(244, set.Photos.Count(p => p.GivenSplit == Split.Train));
        Assert.AreEqual(153, set.Photos.Count(p => p.GivenSplit == Split.Validation));
        var skipped = set.Skipped.Single();
        Assert.AreEqual("imageNotFound.gif", Path.GetFileName(skipped.Path));
        StringAssert.Contains(skipped.Reason, "GIF");
        Assert.IsTrue(set.Photos.Any(p => p.Path.Contains(' ')), "file names with spaces are photos like the others");
        var splits = StratifiedSplitter.Assign(set, new SplitFractions(), seed: 5);
        CollectionAssert.AreEqual(set.Photos.Select(p => p.GivenSplit!.Value).ToArray(), splits, "a set's own split is used as is");
    }

    [TestMethod]
    public void Animals10LayoutIsRecognisedAndShownInEnglish()
    {
        using var dir = new TempDir();
        string raw = Path.Combine(dir.Path, "raw-img");
        string[] photos = Directory.GetFiles(Path.Combine(AnimalsData.Animals10, "dog")).Order(StringComparer.Ordinal).Take(3).ToArray();
        foreach (var (italian, english) in new[] { ("cane", "dog"), ("gatto", "cat"), ("ragno", "spider") })
        {
            Directory.CreateDirectory(Path.Combine(raw, italian));
            foreach (string p in Directory.GetFiles(Path.Combine(AnimalsData.Animals10, english)).Order(StringComparer.Ordinal).Take(3))
                File.CreateSymbolicLink(Path.Combine(raw, italian, Path.GetFileName(p)), p);
        }
        File.WriteAllText(Path.Combine(raw, "cane", "notes.txt"), "not a photo");
        File.WriteAllBytes(Path.Combine(raw, "ragno", "bomb.png"), MLPipelines.Core.Imaging.PixelBomb.Png(20_000, 20_000));
        File.WriteAllBytes(Path.Combine(raw, "gatto", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F']);
        File.WriteAllText(Path.Combine(dir.Path, "translate.py"), "beside the classes: ignored");

        var set = PhotoSetLoader.Load(dir.Path);
        Assert.AreEqual(PhotoSetLayout.Animals10, set.Layout);
        CollectionAssert.AreEqual(new[] { "dog", "cat", "spider" }, set.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "cane", "gatto", "ragno" }, set.ClassFolders.ToArray());
        Assert.AreEqual(9, set.Photos.Count);
        CollectionAssert.AreEquivalent(new[] { "notes.txt", "broken.jpg", "bomb.png" }, set.Skipped.Select(s => Path.GetFileName(s.Path)).ToArray());
        StringAssert.Contains(set.Skipped.Single(s => s.Path.EndsWith("bomb.png")).Reason, "too large: 20,000x20,000 pixels");
        StringAssert.Contains(set.Skipped.Single(s => s.Path.EndsWith("notes.txt")).Reason, "not an image");
        StringAssert.Contains(set.Skipped.Single(s => s.Path.EndsWith("broken.jpg")).Reason, "unreadable");
        Assert.IsTrue(set.Photos.Where(p => p.Label == 0).All(p => set.ClassNames[p.Label] == "dog" && p.Path.Contains("/cane/")));
    }

    [TestMethod]
    public void SplitMixesEverySourceOfEveryClassAndIsSeeded()
    {
        var set = PhotoSetLoader.Load(AnimalsData.Animals10);
        Assert.AreEqual(PhotoSetLayout.FolderPerClass, set.Layout);
        Assert.AreEqual(1306, set.Photos.Count);
        var fractions = new SplitFractions(0.15, 0.15);
        var splits = StratifiedSplitter.Assign(set, fractions, seed: 1);
        for (int c = 0; c < set.ClassNames.Count; c++)
        {
            var inClass = Enumerable.Range(0, set.Photos.Count).Where(i => set.Photos[i].Label == c).ToList();
            int test = inClass.Count(i => splits[i] == Split.Test);
            Assert.IsTrue(Math.Abs(test - inClass.Count * 0.15) <= 1, $"{set.ClassNames[c]}: {test} test photos of {inClass.Count}");
            foreach (var source in inClass.GroupBy(i => set.Photos[i].Source).Where(g => g.Count() >= 20))
            {
                int n = source.Count();
                int sourceTest = source.Count(i => splits[i] == Split.Test), sourceVal = source.Count(i => splits[i] == Split.Validation);
                Assert.IsTrue(Math.Abs(sourceTest - n * 0.15) <= 1.5 && Math.Abs(sourceVal - n * 0.15) <= 1.5,
                    $"{set.ClassNames[c]}/{source.Key}: {sourceTest} test and {sourceVal} validation of {n}");
            }
        }
        CollectionAssert.AreEqual(splits, StratifiedSplitter.Assign(set, fractions, seed: 1), "same seed, same split");
        CollectionAssert.AreNotEqual(splits, StratifiedSplitter.Assign(set, fractions, seed: 2), "another seed, another split");
    }

    [TestMethod]
    public void SourceIsTheShortFileNamePrefix()
    {
        Assert.AreEqual("a90", PhotoSetLoader.SourceOf("/x/dog/a90_8d9950ed68.jpg"));
        Assert.AreEqual("inet", PhotoSetLoader.SourceOf("inet_n02389026_sorrel.JPEG"));
        Assert.AreEqual("", PhotoSetLoader.SourceOf("1092977343_cb42b38d62.jpg"), "a number is not a source");
        Assert.AreEqual("", PhotoSetLoader.SourceOf("desert_ant.jpg".Replace("desert", "desertland")), "a long word is a name");
        Assert.AreEqual("", PhotoSetLoader.SourceOf("formica.jpeg"));
    }

    [TestMethod]
    public void SplitFileRoundTripsAndBadInputIsRefused()
    {
        using var dir = new TempDir();
        var set = PhotoSetLoader.Load(AnimalsData.Hymenoptera);
        var splits = StratifiedSplitter.Assign(set, new SplitFractions(), 1);
        SplitFile.Write(dir.File("split.csv"), set, splits);
        CollectionAssert.AreEqual(splits.Select(s => (Split?)s).ToArray(), SplitFile.Read(dir.File("split.csv"), set));
        Assert.ThrowsExactly<ArgumentException>(() => new SplitFractions(0.5, 0.5).Validate());
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => PhotoSetLocator.Resolve("no-such-set", AnimalsData.Root));
        Assert.AreEqual(AnimalsData.Hymenoptera, PhotoSetLocator.Resolve("hymenoptera", Path.GetDirectoryName(AnimalsData.Root)!));
    }
}
