using MLPipelines.Core.Imaging;
using MLPipelines.Reporting.Figures;
using MLPipelines.Reporting.Imaging;
using MLPipelines.Tests.Support;
using SkiaSharp;

namespace MLPipelines.Reporting.Tests;

/// <summary>Each figure maker writes a PNG of the expected size that is not blank.</summary>
[TestClass]
public sealed class FigureTests
{
    private static TempDir folder = null!;

    [ClassInitialize]
    public static void Init(TestContext _) => folder = new TempDir();

    [ClassCleanup]
    public static void Cleanup() => folder.Dispose();

    // Grid heights do not depend on the font: title + rows x (caption + picture + padding) [+ footer] + padding.
    private static int GridHeight(int rows, int cell, bool footer) =>
        ImageGrid.TitleHeight + rows * (ImageGrid.CaptionHeight + cell + ImageGrid.Padding) + (footer ? ImageGrid.CaptionHeight + ImageGrid.Padding : 0) + ImageGrid.Padding;

    [TestMethod]
    public void Figure1TrainingDigitsIsA2x3GridOfPictures()
    {
        string path = folder.File("1.png");
        TrainingDigitsFigure.Save(path, Synthetic.Digits(6));
        var (width, _) = TrainingDigitsFigure.Grid.SizeFor(6);
        Assert.IsGreaterThanOrEqualTo(3 * (140 + 2 * ImageGrid.Padding), width);
        using var bitmap = PngCheck.AssertFigure(path, width, GridHeight(2, 140, footer: false), minInk: 0.3);
    }

    [TestMethod]
    public void Figure2NetworkSummaryIsATableWithARowPerLayer()
    {
        string path = folder.File("2.png");
        var summary = Synthetic.Network();
        NetworkSummaryFigure.Save(path, summary);
        using var bitmap = PngCheck.AssertFigure(path, 760, 50 + 30 * 7 + 10 + 30 * 3 + 24);
        Assert.AreEqual((760, 50 + 30 * 7 + 10 + 30 * 3 + 24), NetworkSummaryFigure.SizeFor(summary));
    }

    [TestMethod]
    public void Figure3LossCurvesIs1000x600()
    {
        string path = folder.File("3.png");
        var (train, test) = Synthetic.Curves();
        LossCurveFigure.Save(path, train, test, 10);
        using var bitmap = PngCheck.AssertFigure(path, 1000, 600);
        // The test-loss markers are red: some strongly red pixels must be there.
        Assert.IsTrue(HasColor(bitmap, c => c.Red > 180 && c.Green < 80 && c.Blue < 80), "no red test-loss markers");
        Assert.IsTrue(HasColor(bitmap, c => c.Blue > 150 && c.Red < 80), "no blue train-loss line");
    }

    [TestMethod]
    public void Figure4TestPredictionsMarksMissesInRed()
    {
        string path = folder.File("4.png");
        var digits = Synthetic.Digits(9, i => i == 4 ? "7" : (i % 10).ToString());
        TestPredictionsFigure.Save(path, digits);
        var (width, _) = TestPredictionsFigure.GridFor(digits).SizeFor(9);
        using var bitmap = PngCheck.AssertFigure(path, width, GridHeight(3, 140, footer: true), minInk: 0.3);
        Assert.IsTrue(HasColor(bitmap, c => c.Red > 150 && c.Green < 80 && c.Blue < 80), "the miss is not marked in red");
    }

    [TestMethod]
    public void Figure4WithoutMissesHasNoRed()
    {
        string path = folder.File("4-all-right.png");
        TestPredictionsFigure.Save(path, Synthetic.Digits(9, i => (i % 10).ToString()));
        using var bitmap = SKBitmap.Decode(path);
        Assert.IsFalse(HasColor(bitmap, c => c.Red > 150 && c.Green < 80 && c.Blue < 80), "red without a miss");
    }

    [TestMethod]
    public void Figure6HandwrittenStacksOneRowPerSetWithTheScore()
    {
        string path = folder.File("6.png");
        // Large dark-on-light "photos" (shrunk smoothly) and 28x28 MNIST-style insets; one miss.
        static GrayImage Photo(int k) =>
            new(300, 200, Enumerable.Range(0, 300 * 200).Select(i => (i / 300 / 10 + i % 300 / 10 + k) % 7 == 0 ? 20f : 235f).ToArray());
        var photos = Enumerable.Range(0, 10).Select(i => new HandwrittenDigit(Photo(i), Synthetic.Digit(i), $"{i}", i == 3 ? "8" : $"{i}", 0.9)).ToList();
        var drawn = Enumerable.Range(0, 10).Select(i => new HandwrittenDigit(Synthetic.Digit(i + 1), null, $"{i}", $"{i}", 0.99)).ToList();
        HandwrittenFigure.Save(path, [("photos", photos), ("drawn", drawn)]);
        Assert.StartsWith("Score: 19 of 20 (95%)", HandwrittenFigure.Footer([("photos", photos), ("drawn", drawn)]));
        int gridHeight = GridHeight(1, HandwrittenFigure.CellSize, footer: false);
        using var bitmap = PngCheck.AssertFigure(path, 10 * (HandwrittenFigure.CellSize + 2 * ImageGrid.Padding),
            VerticalStack.TitleHeight + 2 * gridHeight + VerticalStack.FooterHeight, minInk: 0.2);
        Assert.IsTrue(HasColor(bitmap, c => c.Red > 150 && c.Green < 80 && c.Blue < 80), "the miss is not marked in red");
    }

    [TestMethod]
    public void Figure6NeedsDigits() =>
        Assert.ThrowsExactly<ArgumentException>(() => HandwrittenFigure.Save(folder.File("none.png"), [("empty", [])]));

    [TestMethod]
    public void Figure7FiltersIsA3x4GridOnOneColourScale()
    {
        string path = folder.File("7.png");
        var filters = Enumerable.Range(0, 10).Select(Synthetic.Filter).ToList();
        FilterHeatmapsFigure.Save(path, filters);
        Assert.AreEqual((4 * 270, 44 + 3 * 270), FilterHeatmapsFigure.SizeFor(10));
        using var bitmap = PngCheck.AssertFigure(path, 4 * 270, 44 + 3 * 270, minInk: 0.15);
        Assert.IsTrue(HasColor(bitmap, c => c.Blue > 200 && c.Red < 120), "no blue (negative weights)");
        Assert.IsTrue(HasColor(bitmap, c => c.Red > 200 && c.Blue < 120), "no red (positive weights)");
    }

    [TestMethod]
    public void Figure8FilterEffectsPairsEachFilterWithItsOutput()
    {
        string path = folder.File("8.png");
        var filters = Enumerable.Range(0, 10).Select(Synthetic.Filter).ToList();
        var digit = Synthetic.Digit(3);
        var outputs = FilterEffectsFigure.Save(path, digit, filters);
        Assert.HasCount(10, outputs);
        for (int i = 0; i < 10; i++)
            CollectionAssert.AreEqual(Filter2D.Apply(digit, filters[i]).Pixels, outputs[i].Pixels, $"output {i}");
        var (width, _) = FilterEffectsFigure.Grid.SizeFor(20);
        PngCheck.AssertFigure(path, width, GridHeight(5, 120, footer: false), minInk: 0.3).Dispose();
    }

    [TestMethod]
    public void Figure9ConfusionMatrixIs820x720()
    {
        string path = folder.File("9a.png");
        ConfusionMatrixFigure.Save(path, Synthetic.Confusion(), Enumerable.Range(0, 10).Select(i => i.ToString()).ToList(), 0.97);
        PngCheck.AssertFigure(path, 820, 720, minInk: 0.1).Dispose();
    }

    [TestMethod]
    public void Figure9ConfusionMatrixRejectsAMatrixThatDoesNotFitTheClasses() =>
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixFigure.Save(folder.File("bad.png"), new int[3, 3], ["a", "b"], 0.5));

    [TestMethod]
    public void Figure9MistakesIsAFramedGrid()
    {
        string path = folder.File("9b.png");
        var mistakes = Synthetic.Digits(12, i => ((i + 1) % 10).ToString());
        ConfidentMistakesFigure.Save(path, mistakes, 57);
        var (width, _) = ConfidentMistakesFigure.GridFor(57, 12).SizeFor(12);
        PngCheck.AssertFigure(path, width, GridHeight(2, 130, footer: true), minInk: 0.3).Dispose();
    }

    [TestMethod]
    public void TheBlankCheckRejectsAWhiteImage()
    {
        using var white = new SKBitmap(200, 100);
        white.Erase(SKColors.White);
        Assert.AreEqual(0, PngCheck.LuminanceSpread(white), 1e-9);
        Assert.AreEqual(0, PngCheck.InkFraction(white), 1e-9);
    }

    [TestMethod]
    public void GridScalesWithoutSmoothing()
    {
        // A 2x2 checkerboard drawn at 140 px must stay four flat squares: nearest-neighbour scaling.
        var grid = new ImageGrid { Title = "t", Columns = 1, CellSize = 140 };
        using var bitmap = grid.Render([new GridCell(new GrayImage(2, 2, [0, 255, 255, 0]), "c")]);
        var picture = ImageGrid.Fit(SKRect.Create((bitmap.Width - grid.CellWidth) / 2 + ImageGrid.Padding, ImageGrid.TitleHeight + ImageGrid.CaptionHeight, 140, 140), 2, 2);
        var values = new HashSet<byte>();
        for (int y = (int)picture.Top + 2; y < picture.Bottom - 2; y += 3)
            for (int x = (int)picture.Left + 2; x < picture.Right - 2; x += 3)
                values.Add(bitmap.GetPixel(x, y).Red);
        CollectionAssert.AreEquivalent(new byte[] { 0, 255 }, values.ToArray());
    }

    private static bool HasColor(SKBitmap bitmap, Func<SKColor, bool> test)
    {
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
                if (test(bitmap.GetPixel(x, y))) return true;
        return false;
    }
}
