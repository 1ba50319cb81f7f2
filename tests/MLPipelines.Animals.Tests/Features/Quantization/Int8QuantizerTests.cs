using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Features.Quantization;
using MLPipelines.Animals.Tests.Support;
using MLPipelines.Animals.Training;
using MLPipelines.Core.Runs;
using MLPipelines.Prediction;
using MLPipelines.Tests.Support;
using MLPipelines.Training.Onnx.Proto;

namespace MLPipelines.Animals.Tests.Features.Quantization;

/// <summary>The INT8 ResNet18: QDQ operators ONNX Runtime runs as integer kernels, features close to FP32's, a saved model that predicts.</summary>
[TestClass]
public sealed class Int8QuantizerTests
{
    [TestMethod]
    public void Uint8ParametersHoldZeroExactly()
    {
        var (scale, zp) = Int8Quantizer.Uint8Parameters(new ValueRange(0, 2.55f));
        Assert.AreEqual(0.01f, scale, 1e-7f);
        Assert.AreEqual(0, zp);
        (scale, zp) = Int8Quantizer.Uint8Parameters(new ValueRange(-1, 1.55f));
        Assert.AreEqual(0.01f, scale, 1e-7f);
        Assert.AreEqual(100, zp, "the real 0 is the integer 100");
        (scale, zp) = Int8Quantizer.Uint8Parameters(new ValueRange(0.5f, 2.55f));
        Assert.AreEqual(0.01f, scale, 1e-7f, "a range that does not reach 0 is widened to it");
        Assert.AreEqual(0, zp);
        Assert.AreEqual((1f, (byte)0), Int8Quantizer.Uint8Parameters(new ValueRange(0, 0)), "a tensor that is always 0 still gets a valid scale");
    }

    [TestMethod]
    public void OperatorsItCannotQuantizeAreRefused()
    {
        var model = new ModelProto { IrVersion = 7, Graph = new GraphProto { Name = "g" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        model.Graph.Input.Add(Value("x"));
        model.Graph.Output.Add(Value("y"));
        model.Graph.Node.Add(new NodeProto { OpType = "Sigmoid", Input = { "x" }, Output = { "y" } });
        string photo = Directory.GetFiles(Path.Combine(AnimalsData.Hymenoptera, "val", "bees"), "*.jpg").Order(StringComparer.Ordinal).First();
        var e = Assert.ThrowsExactly<NotSupportedException>(() => Int8Quantizer.Quantize(Google.Protobuf.MessageExtensions.ToByteArray(model), [photo], new QuantizationOptions()));
        StringAssert.Contains(e.Message, "Sigmoid");
    }

    [TestMethod]
    [TestCategory("slow")]
    public void Int8FeaturesAreCloseToFp32AndRunOnIntegerKernels()
    {
        var train = Photos("train");
        var q = Int8Quantizer.Quantize(File.ReadAllBytes(ResNet18Files.NetModel), train, new QuantizationOptions { CalibrationImages = 16 });
        Assert.AreEqual(16, q.CalibrationImages);
        var graph = ModelProto.Parser.ParseFrom(q.Model).Graph;
        Assert.IsFalse(graph.Node.Any(n => n.OpType == "BatchNormalization"), "batch norms are folded into the convolutions");
        Assert.AreEqual(22, graph.Node.Count(n => n.OpType == "Conv"));
        var convWeights = graph.Initializer.Where(t => t.Name.EndsWith("_W_quantized", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(22, convWeights.Count);
        Assert.IsTrue(convWeights.All(t => t.DataType == 3), "int8 weights");
        Assert.IsTrue(convWeights.All(t => t.RawData.Span.ToArray().All(b => (sbyte)b is >= -63 and <= 63)), "7-bit weights (reduce range) by default");

        // ONNX Runtime turns the QDQ groups into its integer operators.
        using var temp = new TempDir();
        string optimized = Path.Combine(temp.Path, "optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimized })
        using (new InferenceSession(q.Model, options)) { }
        var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph.Node.Select(n => n.OpType).ToList();
        Assert.AreEqual(22, ops.Count(o => o == "QLinearConv"), string.Join(",", ops.Distinct()));
        Assert.AreEqual(9, ops.Count(o => o == "QLinearAdd"));
        Assert.AreEqual(0, ops.Count(o => o == "Conv"), "no convolution left in float");

        // Photos it was not calibrated on: features point the same way as the float network's.
        var val = Photos("val").Take(12).ToList();
        var fp32 = Features(val, null);
        var int8 = Features(val, new BackboneNetwork(Save(temp, q.Model), BackbonePrecision.Int8, q.Id));
        var cosines = fp32.Zip(int8, Cosine).ToList();
        Assert.IsTrue(cosines.Average() > 0.99, $"mean cosine {cosines.Average():F4}");
        Assert.IsTrue(cosines.Min() > 0.97, $"lowest cosine {cosines.Min():F4}");
    }

    [TestMethod]
    [TestCategory("slow")]
    public void TrainingOnInt8SavesAModelThatPredictsAndReusesItsCalibration()
    {
        using var temp = new TempDir();
        string data = Path.Combine(temp.Path, "hym");
        AnimalsData.LinkHymenopteraSubset(data, train: 15, val: 12);
        var set = PhotoSetLoader.Load(data);
        var splits = StratifiedSplitter.Assign(set, new SplitFractions(), 1);
        var options = new AnimalsTrainingOptions
        {
            Dataset = data, Heads = ["lbfgs"], Save = "lbfgs", Augment = "none", Precision = BackbonePrecision.Int8,
            Quantization = new QuantizationOptions { CalibrationImages = 12 }, Backbone = new BackboneOptions { Threads = 2 },
            CacheFolder = Path.Combine(temp.Path, "cache"),
        };
        var first = AnimalsTraining.Run(options, set, splits, RunFolder.Create(Path.Combine(temp.Path, "runs"), "a"));
        Assert.IsTrue(first.Completed);
        StringAssert.Contains(first.Device, "INT8");
        Assert.IsTrue(first.Evaluation!.Accuracy >= 0.8, $"validation accuracy {first.Evaluation.Accuracy:P1}");
        // The .zip holds the INT8 network (about a third of the FP32 one's 45 MB) and needs nothing else.
        Assert.IsTrue(new FileInfo(first.ModelPath!).Length < 25_000_000, $"model.zip is {new FileInfo(first.ModelPath!).Length} bytes");
        Directory.Delete(options.CacheFolder, recursive: true);
        int bees = set.ClassNames.ToList().IndexOf("bees");
        var bee = set.Photos.Where((p, i) => p.Label == bees && splits[i] == Split.Validation).First();
        using (var model = ImageClassifier.Load(first.ModelPath!))
            Assert.AreEqual("bees", model.Predict(bee.Path).Label, "the .zip runs without the cached network file");

        var second = AnimalsTraining.Run(options, set, splits, RunFolder.Create(Path.Combine(temp.Path, "runs"), "b"));
        var third = AnimalsTraining.Run(options, set, splits, RunFolder.Create(Path.Combine(temp.Path, "runs"), "c"));
        Assert.AreEqual(0, third.Features!.Plain.Computed, "the same calibration, so the features cached for it are reused");
        string log = File.ReadAllText(Path.Combine(third.RunFolder, "log.txt"));
        StringAssert.Contains(log, "from the cache");
        Assert.AreEqual(second.Evaluation!.Accuracy, third.Evaluation!.Accuracy);
    }

    private static List<string> Photos(string split) =>
        new[] { "ants", "bees" }.SelectMany(c => Directory.GetFiles(Path.Combine(AnimalsData.Hymenoptera, split, c), "*.jpg").Order(StringComparer.Ordinal)).ToList();

    private static float[][] Features(IReadOnlyList<string> photos, BackboneNetwork? network)
    {
        using var backbone = new OnnxBackbone(new BackboneOptions { Threads = 2, Network = network });
        return Featurizer.Run(photos, backbone, null).Features.Select(f => f!).ToArray();
    }

    private static string Save(TempDir temp, byte[] model)
    {
        string path = Path.Combine(temp.Path, "int8.onnx");
        File.WriteAllBytes(path, model);
        return path;
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    private static ValueInfoProto Value(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } },
    };
}
