using MLPipelines.Core.Imaging;
using MLPipelines.Tests.Support;

namespace MLPipelines.Prediction.Tests;

/// <summary><see cref="ImageClassifier"/> applies its <see cref="ImageLimits"/> to every way an image comes in.</summary>
[TestClass]
public sealed class ImageClassifierLimitsTests
{
    private static ImageClassifier digits = null!;

    [ClassInitialize]
    public static void Load(TestContext _) => digits = ImageClassifier.Load(TestData.DigitsModel);

    [ClassCleanup]
    public static void Unload() => digits.Dispose();

    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void AnImageOverTheLimitIsOneClearErrorWhicheverWayItComes()
    {
        byte[] bomb = PixelBomb.Png(20_000, 20_000);
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("bomb.png"), bomb);

        foreach (var predict in new Func<Prediction>[]
                 {
                     () => digits.Predict(bomb, "bomb.png"),
                     () => digits.Predict(dir.File("bomb.png")),
                     () => digits.Predict(new MemoryStream(bomb), "bomb.png"),
                 })
        {
            var e = Assert.ThrowsExactly<ImageTooLargeException>(() => predict());
            StringAssert.Contains(e.Message, "bomb.png: image too large: 20,000x20,000 pixels");
        }
        var batch = digits.PredictBatch([bomb, File.ReadAllBytes(Path.Combine(TestData.HandwrittenDigits, "photos", "3.png"))]);
        StringAssert.Contains(batch[0].Error, "image too large");
        Assert.AreEqual("3", batch[1].Prediction!.Label);
    }

    [TestMethod]
    public void ALargeImageUnderTheLimitIsPredictedFromItsReducedDecode()
    {
        // A black square on white reads as some digit; what matters is that 36 MP go through at about 1 MP.
        var p = digits.Predict(PixelBomb.Png(6000, 6000), "big.png");
        Assert.AreEqual(10, p.Scores.Count);
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void TheLimitIsTheCallers()
    {
        using var strict = ImageClassifier.Load(TestData.DigitsModel, limits: new ImageLimits { MaxPixels = 100_000 });
        string photo = Path.Combine(TestData.HandwrittenDigits, "photos", "3.png");
        var e = Assert.ThrowsExactly<ImageTooLargeException>(() => strict.Predict(photo));
        Assert.AreEqual(100_000, e.Limit);
        Assert.AreEqual("3", digits.Predict(photo).Label);
    }
}
