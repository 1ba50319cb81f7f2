using MLPipelines.Core.Datasets;
using MLPipelines.Core.Imaging;
using MLPipelines.Data.Datasets;
using MLPipelines.Prediction;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;
using MLPipelines.Training.Evaluation;
using SkiaSharp;

namespace MLPipelines.Training.Tests.Onnx;

/// <summary>
/// The photo preparation as an ONNX graph inside the model (format 3), against the C# preparation it replaces
/// (kept as the oracle), and MNIST's own digits given as pictures.
/// </summary>
[TestClass]
public sealed class InkPreparationGraphTests
{
    [TestMethod]
    [RequiresData("handwritten-digits")]
    [RequiresData("greek")]
    public void TheGraphsGlyphsAreCloseToTheCSharpPreparations()
    {
        string digits = TestData.HandwrittenDigits;
        var sets = new (string Name, string Preprocessor, IImagePreprocessor Oracle, string[] Files)[]
        {
            ("photos", "mnist-style", new MnistStylePreprocessor(), Directory.GetFiles(Path.Combine(digits, "photos"))),
            ("drawn", "mnist-style", new MnistStylePreprocessor(), Directory.GetFiles(Path.Combine(digits, "drawn"))),
            ("small", "mnist-style", new MnistStylePreprocessor(), Directory.GetFiles(Path.Combine(digits, "small"))),
            ("greek test", GreekLetterPreprocessor.PreprocessorName, new GreekLetterPreprocessor(),
                Directory.GetFiles(Path.Combine(TestData.RequireRoot(), "greek", "test"), "*.png", SearchOption.AllDirectories)),
        };
        foreach (var set in sets)
        {
            using var graph = new ModelPreparation(set.Preprocessor);
            double sum = 0, max = 0;
            foreach (string file in set.Files)
            {
                var fromGraph = graph.Prepare(file).Pixels;
                var fromCSharp = set.Oracle.Process(ImageDecoder.DecodeGray(File.ReadAllBytes(file), file)).ToBytes();
                var differences = fromGraph.Zip(fromCSharp, (a, b) => Math.Abs(a - b)).ToArray();
                sum += differences.Average();
                max = Math.Max(max, differences.Max());
            }
            double mean = sum / set.Files.Length;
            Console.WriteLine($"{set.Name}: {set.Files.Length} images, mean |graph - C#| {mean:F2} levels of 255, max {max:F0}");
            // Resampling and rounding move an edge pixel or a glyph by a pixel; a wrong background or crop is tens of levels.
            Assert.IsTrue(mean < 10, $"{set.Name}: the graph's glyphs differ from the C# ones by {mean:F2} on average");
        }
    }

    [TestMethod]
    [RequiresData]
    public void ABlankPictureIsNoInkInTheGraphAsInTheCSharp()
    {
        using var graph = new ModelPreparation("mnist-style");
        using var white = new SKBitmap(new SKImageInfo(60, 40, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        white.Erase(SKColors.White);
        var e = Assert.ThrowsExactly<InvalidImageException>(() => graph.Prepare(MLImages.From(white), "white.png"));
        StringAssert.Contains(e.Message, "no ink found");
    }

    /// <summary>
    /// MNIST's 10,000 test digits written as 28x28 PNGs, through the saved model. Measured: 98.33 % against 99.14 % on
    /// their tensors; the target is 99.0 % and is not reached yet: the canvas enlarges a 28x28 picture ninefold
    /// and the glyph comes back from it softer than MNIST's (at a 28x28 canvas the graph equals the C# within one level).
    /// This guards the level reached.
    /// </summary>
    [TestMethod]
    [RequiresData("mnist")]
    [TestCategory("slow")]
    public void MnistTestDigitsAsPicturesScoreAsTheNetworkDoesOnTensors()
    {
        const int count = 10000;
        var test = IdxDatasetLoader.Load(KnownDatasets.Mnist, TestData.Mnist, DataSplit.Test).Take(count);
        using var network = TorchWeights.Load(TestData.DigitsModel);
        using var tensors = new TensorDataset(test, Normalization.Mnist);
        double onTensors = Evaluator.Evaluate(network, tensors).Accuracy;

        using var classifier = ImageClassifier.Load(TestData.DigitsModel);
        var pngs = Enumerable.Range(0, count).Select(i => Png(test.Image(i), test.Width, test.Height)).ToList();
        var predictions = classifier.PredictBatch(pngs);
        double asPictures = Enumerable.Range(0, count).Count(i => predictions[i].Prediction?.Label == test.ClassNames[test.Labels[i]]) / (double)count;
        Console.WriteLine($"first {count} MNIST test digits: {asPictures:P2} as PNG pictures through the model, {onTensors:P2} on tensors");
        Assert.IsTrue(asPictures >= 0.98, $"as pictures {asPictures:P2}");
        Assert.IsTrue(asPictures >= onTensors - 0.01, $"as pictures {asPictures:P2}, on tensors {onTensors:P2}");
    }

    private static byte[] Png(ReadOnlySpan<byte> gray, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(gray.ToArray(), 0, bitmap.GetPixels(), gray.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
