using MLPipelines.Core.Datasets;
using MLPipelines.Tests.Support;
using MLPipelines.Training.Transfer;
using SkiaSharp;

namespace MLPipelines.Training.Tests.Transfer;

[TestClass]
public sealed class ImageFolderSetTests
{
    private static void Letter(string folder, string name, Func<int, SKColor, SKColor, float, byte[]> draw)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), draw(64, SKColors.Black, SKColors.White, 0.05f));
    }

    [TestMethod]
    public void AnyClassNamesInNameOrderSkippingNonImages()
    {
        using var dir = new TempDir();
        Letter(dir.File("gamma"), "g1.png", LetterDrawings.Gamma);
        Letter(dir.File("delta"), "d1.png", LetterDrawings.Alpha);
        Letter(dir.File("delta"), "d2.dat", LetterDrawings.Alpha);   // an image whatever its extension
        Letter(dir.File("alpha"), "a1.png", LetterDrawings.Alpha);
        File.WriteAllText(dir.File("alpha/notes.txt"), "drawn by hand");
        File.WriteAllText(dir.File("alpha/fake.png"), "not really a png");
        File.WriteAllText(dir.File("README.md"), "letters");

        var set = ImageFolderSet.Scan(dir.Path);

        CollectionAssert.AreEqual(new[] { "alpha", "delta", "gamma" }, set.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 2 }, set.Files.Select(f => f.Label).ToArray());
        CollectionAssert.AreEqual(new[] { "a1.png", "d1.png", "d2.dat", "g1.png" }, set.Files.Select(f => Path.GetFileName(f.Path)).ToArray());
        Assert.AreEqual(3, set.Warnings.Count, string.Join("\n", set.Warnings));
        Assert.IsTrue(set.Warnings.Any(w => w.Contains("notes.txt") && w.Contains("not an image")));
        Assert.IsTrue(set.Warnings.Any(w => w.Contains("fake.png")));
        Assert.IsTrue(set.Warnings.Any(w => w.Contains("README.md")));
    }

    [TestMethod]
    public void AnImageOverThePixelLimitIsSkippedFromItsHeader()
    {
        using var dir = new TempDir();
        Letter(dir.File("alpha"), "a1.png", LetterDrawings.Alpha);
        Letter(dir.File("gamma"), "g1.png", LetterDrawings.Gamma);
        File.WriteAllBytes(dir.File("gamma/huge.png"), MLPipelines.Core.Imaging.PixelBomb.Png(20_000, 20_000));

        var set = ImageFolderSet.Scan(dir.Path);

        Assert.AreEqual(2, set.Count);
        StringAssert.Contains(set.Warnings.Single(), "huge.png: too large: 20,000x20,000 pixels");
        var strict = ImageFolderSet.WhyNotAnImage(dir.File("alpha/a1.png"), new MLPipelines.Core.Imaging.ImageLimits { MaxPixels = 10 });
        StringAssert.Contains(strict, "too large");
    }

    [TestMethod]
    public void EmptyClassIsAnError()
    {
        using var dir = new TempDir();
        Letter(dir.File("alpha"), "a1.png", LetterDrawings.Alpha);
        Directory.CreateDirectory(dir.File("beta"));
        File.WriteAllText(dir.File("beta/readme.txt"), "todo");

        var e = Assert.ThrowsExactly<ImageFolderException>(() => ImageFolderSet.Scan(dir.Path));
        StringAssert.Contains(e.Message, "class 'beta' has no images");
    }

    [TestMethod]
    public void MissingOrUnusableFoldersAreErrors()
    {
        using var dir = new TempDir();
        StringAssert.Contains(Assert.ThrowsExactly<ImageFolderException>(() => ImageFolderSet.Scan(dir.File("nope"))).Message, "not found");
        File.WriteAllText(dir.File("file"), "x");
        StringAssert.Contains(Assert.ThrowsExactly<ImageFolderException>(() => ImageFolderSet.Scan(dir.File("file"))).Message, "is a file");
        StringAssert.Contains(Assert.ThrowsExactly<ImageFolderException>(() => ImageFolderSet.Scan(dir.Path)).Message, "no class folders");
        Letter(dir.File("alpha"), "a1.png", LetterDrawings.Alpha);
        StringAssert.Contains(Assert.ThrowsExactly<ImageFolderException>(() => ImageFolderSet.Scan(dir.Path)).Message, "only one class");
    }

    [TestMethod]
    public void UnreadableFolderIsAnError()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            Assert.Inconclusive("folder permissions do not stop root, and work differently on Windows");
            return;
        }
        using var dir = new TempDir();
        Letter(dir.File("alpha"), "a1.png", LetterDrawings.Alpha);
        Letter(dir.File("beta"), "b1.png", LetterDrawings.Alpha);
        File.SetUnixFileMode(dir.File("beta"), UnixFileMode.None);
        try
        {
            StringAssert.Contains(Assert.ThrowsExactly<ImageFolderException>(() => ImageFolderSet.Scan(dir.Path)).Message, "cannot read");
        }
        finally
        {
            File.SetUnixFileMode(dir.File("beta"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TestMethod]
    public void TestSetFollowsTheModelsClassOrder()
    {
        using var dir = new TempDir();
        Letter(dir.File("gamma"), "g.png", LetterDrawings.Gamma);
        Letter(dir.File("alpha"), "a.png", LetterDrawings.Alpha);

        var set = ImageFolderSet.Scan(dir.Path, ["gamma", "beta", "alpha"]);
        CollectionAssert.AreEqual(new[] { "gamma", "beta", "alpha" }, set.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { 2, 0 }, set.Files.Select(f => f.Label).ToArray());

        Letter(dir.File("omega"), "o.png", LetterDrawings.Alpha);
        StringAssert.Contains(Assert.ThrowsExactly<ImageFolderException>(() => ImageFolderSet.Scan(dir.Path, ["alpha", "gamma"])).Message, "omega");
    }

    [TestMethod]
    public void StyleIsTheFileNamesPrefix()
    {
        Assert.AreEqual("setA", new ImageFolderFile("/x/alpha/setA_alpha_001.png", 0).Style);
        Assert.AreEqual("setB", new ImageFolderFile("/x/alpha/setB_1.png", 0).Style);
        Assert.AreEqual("(none)", new ImageFolderFile("/x/alpha/alpha.png", 0).Style);
    }

    [TestMethod]
    [RequiresData("greek")]
    public void SharedGreekSetsScanAsTheReadmeSays()
    {
        string greek = Path.Combine(TestData.RequireRoot(), "greek");
        var train = ImageFolderSet.Scan(Path.Combine(greek, "train"));
        var test = ImageFolderSet.Scan(Path.Combine(greek, "test"), train.ClassNames);

        CollectionAssert.AreEqual(new[] { "alpha", "beta", "gamma" }, train.ClassNames.ToArray());
        Assert.AreEqual(27, train.Count);
        Assert.AreEqual(36, test.Count);
        CollectionAssert.AreEqual(new[] { "setA", "setB", "setC" }, test.Files.Select(f => f.Style).Distinct().Order().ToArray());
    }
}
