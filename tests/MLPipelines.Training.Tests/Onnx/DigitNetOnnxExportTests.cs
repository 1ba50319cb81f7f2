using MLPipelines.Core.Imaging;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using MLPipelines.Training.Onnx;
using MLPipelines.Training.Onnx.Proto;
using static TorchSharp.torch;

namespace MLPipelines.Training.Tests.Onnx;

/// <summary>
/// DigitNets trained briefly on real MNIST, exported, and run by ONNX Runtime on 1,000 real test images given
/// as raw pixel values: the graph's own normalization and layers must reproduce TorchSharp's log-probabilities.
/// </summary>
[TestClass]
public sealed class DigitNetOnnxExportTests
{
    private const int TestImages = 1000;
    private static LabeledImages? testImages;
    private static TensorDataset? test;
    private static DigitNet? kernel5;
    private static DigitNet? kernel4;

    [ClassInitialize]
    public static void TrainOnMnist(TestContext _)
    {
        if (TestData.Root is null) return;
        var trainImages = IdxDatasetLoader.Load(KnownDatasets.Mnist, TestData.Mnist, DataSplit.Train).Take(5000);
        testImages = IdxDatasetLoader.Load(KnownDatasets.Mnist, TestData.Mnist, DataSplit.Test).Take(TestImages);
        test = new TensorDataset(testImages, Normalization.Mnist);
        using var train = new TensorDataset(trainImages, Normalization.Mnist);
        kernel5 = Train(new DigitNetOptions(), train);
        kernel4 = Train(new DigitNetOptions { KernelSize = 4 }, train);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        kernel5?.Dispose();
        kernel4?.Dispose();
        test?.Dispose();
    }

    private static DigitNet Train(DigitNetOptions options, TensorDataset train)
    {
        manual_seed(1);
        var net = new DigitNet(options);
        var recipe = Recipes.Tuned with { Epochs = 1, TrainLimit = 5000, TestLimit = 200, Threads = 2, Seed = 1 };
        using var trainer = new DigitTrainer(net, recipe, train, test!);
        trainer.Run();
        return net;
    }

    private static DigitNet Net(DigitNet? net)
    {
        TestData.RequireRoot();
        return net!;
    }

    // The raw bytes as floats 0..255, as an application would pass them.
    private static float[] RawPixels(int start, int count) =>
        testImages!.Pixels.AsSpan(start * testImages.ImageSize, count * testImages.ImageSize).ToArray().Select(p => (float)p).ToArray();

    private static float[] TorchLogProbabilities(DigitNet net)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = no_grad();
            using var output = net.forward(test!.Images);
            return output.data<float>().ToArray();
        }
        finally
        {
            net.train(wasTraining);
        }
    }

    private static void AssertMatchesTorch(DigitNet net, string what)
    {
        using var onnx = new OnnxRunner(DigitNetOnnxExporter.ToBytes(net));
        var outputs = onnx.Run(DigitNetOnnxExporter.InputName, RawPixels(0, TestImages), TestImages, 28 * 28);
        var (logProbabilities, shape) = outputs[OnnxClassifier.LogProbabilities];
        CollectionAssert.AreEqual(new long[] { TestImages, net.Options.Classes }, shape);
        float[] expected = TorchLogProbabilities(net);
        OnnxAssert.Close(expected, logProbabilities, what);

        var probabilities = outputs[OnnxClassifier.Probabilities].Values;
        Assert.IsTrue(OnnxAssert.MaxAbsDifference(expected.Select(MathF.Exp).ToArray(), probabilities) <= 1e-5, "probabilities");
    }

    [TestMethod]
    [RequiresData]
    public void TrainedNetworkMatchesTorchSharpOnRealMnist()
    {
        var net = Net(kernel5);
        AssertMatchesTorch(net, "kernel 5, 1,000 MNIST test images");

        // The same predictions, and most of them right: the graph reads raw bright-on-dark pixels as MNIST has them
        // (inverted or unnormalized input would fall to chance after this short training, ~90% here).
        using var onnx = new OnnxRunner(DigitNetOnnxExporter.ToBytes(net));
        var outputs = onnx.Run(DigitNetOnnxExporter.InputName, RawPixels(0, TestImages), TestImages, 784);
        int[] onnxPredictions = ArgMax(outputs[OnnxClassifier.Probabilities].Values, 10), torchPredictions = ArgMax(TorchLogProbabilities(net), 10);
        CollectionAssert.AreEqual(torchPredictions, onnxPredictions);
        CollectionAssert.AreEqual(torchPredictions, outputs[OnnxClassifier.PredictedIndex].Values.Select(v => (int)v).ToArray());
        int correct = onnxPredictions.Where((p, i) => p == testImages!.Labels[i]).Count();
        Console.WriteLine($"ONNX accuracy: {correct / (double)TestImages:P1}");
        Assert.IsTrue(correct >= 800, $"{correct} of {TestImages} correct");
    }

    private static int[] ArgMax(float[] rows, int classes) => Enumerable.Range(0, rows.Length / classes).Select(i =>
    {
        var row = rows.AsSpan(i * classes, classes);
        return row.IndexOf(row.ToArray().Max());
    }).ToArray();

    [TestMethod]
    [RequiresData]
    public void KernelFourWithOddMapSizesMatches()
    {
        var net = Net(kernel4);
        Assert.AreEqual(4, net.Options.KernelSize);   // 28 → 25 (odd: floor pooling drops a row) → 12 → 9 → 4
        AssertMatchesTorch(net, "kernel 4, odd maps");
    }

    [TestMethod]
    [RequiresData]
    public void ThreeClassTransferNetworkMatches()
    {
        using var three = Net(kernel5).WithNewOutput(3);
        AssertMatchesTorch(three, "3-class transfer network");
    }

    [TestMethod]
    [RequiresData]
    [DataRow(1)]
    [DataRow(37)]
    [DataRow(1000)]
    public void AnyBatchSizeRunsTheSameModel(int batch)
    {
        var net = Net(kernel5);
        float[] expected = TorchLogProbabilities(net);
        using var onnx = new OnnxRunner(DigitNetOnnxExporter.ToBytes(net));
        int images = Math.Min(TestImages, batch * 40);
        var actual = new List<float>();
        for (int start = 0; start < images; start += batch)
        {
            int size = Math.Min(batch, images - start);
            var (values, shape) = onnx.Run(DigitNetOnnxExporter.InputName, RawPixels(start, size), size, 784)[OnnxClassifier.LogProbabilities];
            CollectionAssert.AreEqual(new long[] { size, 10 }, shape);
            actual.AddRange(values);
        }
        OnnxAssert.Close(expected.AsSpan(0, images * 10), actual.ToArray(), $"batches of {batch}");
    }

    [TestMethod]
    [RequiresData]
    public void DeclaresOpset17AndASymbolicBatch()
    {
        byte[] bytes = DigitNetOnnxExporter.ToBytes(Net(kernel5));
        var model = OnnxModelFile.Read(bytes);
        Assert.AreEqual(8, model.IrVersion);
        Assert.AreEqual("MLPipelines", model.ProducerName);
        Assert.HasCount(1, model.OpsetImport);
        Assert.AreEqual("", model.OpsetImport[0].Domain);
        Assert.AreEqual(17, model.OpsetImport[0].Version);
        Assert.AreEqual("Pixels: float32 [batch, 784]", OnnxModelFile.Describe(model.Graph.Input.Single()));
        CollectionAssert.AreEqual(new[] { "Probabilities: float32 [batch, 10]", "LogProbabilities: float32 [batch, 10]", "PredictedIndex: int64 [batch]" },
            model.Graph.Output.Select(OnnxModelFile.Describe).ToArray());
        Assert.AreEqual(TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam, model.Graph.Input[0].Type.TensorType.Shape.Dim[0].ValueCase);
        CollectionAssert.IsSubsetOf(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "fc1.weight", "fc2.bias" },
            model.Graph.Initializer.Select(t => t.Name).ToArray());
        Assert.IsFalse(model.Graph.Node.Any(n => n.OpType.Contains("Dropout")), "dropout is identity at inference");

        // ONNX Runtime reads the same contract.
        using var onnx = new OnnxRunner(bytes);
        var input = onnx.Session.InputMetadata[DigitNetOnnxExporter.InputName];
        CollectionAssert.AreEqual(new[] { -1, 784 }, input.Dimensions);
        Assert.AreEqual("batch", input.SymbolicDimensions[0]);
        CollectionAssert.AreEquivalent(new[] { "Probabilities", "LogProbabilities", "PredictedIndex" }, onnx.Session.OutputMetadata.Keys.ToArray());
        Assert.AreEqual("batch", onnx.Session.OutputMetadata["Probabilities"].SymbolicDimensions[0]);
        Assert.AreEqual("MLPipelines", onnx.Session.ModelMetadata.ProducerName);
    }

    [TestMethod]
    [RequiresData]
    public void SavingIsAtomicAndEveryWriterGivesTheSameBytes()
    {
        var net = Net(kernel5);
        using var dir = new TempDir();
        string path = dir.File("digits.onnx");
        DigitNetOnnxExporter.Save(net, path);
        byte[] bytes = DigitNetOnnxExporter.ToBytes(net);
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(path));
        using var stream = new MemoryStream();
        DigitNetOnnxExporter.Write(net, stream);
        CollectionAssert.AreEqual(bytes, stream.ToArray());
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir.Path), "no temporary file left behind");
    }
}
