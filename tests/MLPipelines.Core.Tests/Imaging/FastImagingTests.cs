using MLPipelines.Core.Imaging;

namespace MLPipelines.Core.Tests.Imaging;

/// <summary>The fast paths of the photo preparation give exactly what the plain definitions give.</summary>
[TestClass]
public sealed class FastImagingTests
{
    [TestMethod]
    public void SelectionEqualsSorting()
    {
        var random = new Random(5);
        foreach (int n in new[] { 1, 2, 3, 10, 257, 5000 })
        foreach (int distinct in new[] { 1, 3, 256, 100_000 })
        {
            // Few distinct values, as on a photo's paper, and many.
            var values = Enumerable.Range(0, n).Select(_ => (float)random.Next(distinct) / 7f).ToArray();
            var sorted = values.Order().ToArray();
            foreach (float q in new[] { 0f, 0.1f, 0.5f, 0.9f, 1f })
            {
                var copy = (float[])values.Clone();
                Assert.AreEqual(sorted[(int)(q * (n - 1))], InkNormalizer.Percentile(copy, q), $"n {n}, {distinct} values, q {q}");
                CollectionAssert.AreEqual(values, copy, "Percentile leaves its input alone");
                Assert.AreEqual(sorted[(int)(q * (n - 1))], InkNormalizer.SelectInPlace(copy, q));
            }
        }
    }

    [TestMethod]
    public void DilationEqualsTheWindowMaximum()
    {
        var random = new Random(11);
        foreach (var (w, h) in new[] { (1, 1), (7, 3), (40, 25) })
        {
            var image = new GrayImage(w, h, Enumerable.Range(0, w * h).Select(_ => random.Next(4) == 0 ? random.Next(256) : 0f).ToArray());
            foreach (int r in new[] { 1, 2, 5, 60 })
            {
                var fast = StrokeWidth.Dilate(image, r);
                for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float m = 0;
                    for (int yy = Math.Max(0, y - r); yy <= Math.Min(h - 1, y + r); yy++)
                    for (int xx = Math.Max(0, x - r); xx <= Math.Min(w - 1, x + r); xx++)
                        m = Math.Max(m, image[xx, yy]);
                    Assert.AreEqual(m, fast[x, y], $"{w}x{h} r {r} at ({x}, {y})");
                }
            }
        }
    }

    [TestMethod]
    public void ComponentsKeepLargeRegionsAndTheirEdges()
    {
        // A 6x4 bar, a one-pixel speck, a faint edge pixel beside the bar, in a 20x10 image.
        var image = new GrayImage(20, 10);
        for (int y = 2; y < 6; y++)
        for (int x = 3; x < 9; x++)
            image[x, y] = 255;
        image[15, 8] = 200;
        image[9, 3] = 30;
        var c = InkComponents.Significant(image, 64f, 0.05);
        Assert.AreEqual((3, 2, 8, 5), c.Bounds);
        Assert.IsTrue(c.Mask[3 * 20 + 9], "faint pixel next to a kept stroke");
        Assert.IsFalse(c.Mask[8 * 20 + 15], "a speck of 1 pixel is under 5 % of the 24-pixel bar");
        Assert.IsFalse(c.Mask[0], "background");
        var all = InkComponents.Significant(image, 64f, 0.04);
        Assert.AreEqual((3, 2, 15, 8), all.Bounds, "at 4 % the speck counts");
        Assert.IsTrue(all.Mask[8 * 20 + 15]);
    }
}
