using MLPipelines.Core.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;

namespace MLPipelines.Training.Tests.MLNet;

[TestClass]
public sealed class CnnTrainerTests
{
    public sealed class Input
    {
        [Microsoft.ML.Transforms.Image.ImageType(28, 28)]
        public MLImage? Image { get; set; }
    }


    [TestMethod]
    [RequiresData("mnist")]
    [TestCategory("slow")]
    public void TrainsInsideAnMLNetPipelineAndSavesAModelThatMLNetAloneLoads()
    {
        string mnist = TestData.Mnist;
        var train = IdxDatasetLoader.Load(KnownDatasets.Mnist, mnist, DataSplit.Train).Take(10_000);
        var test = IdxDatasetLoader.Load(KnownDatasets.Mnist, mnist, DataSplit.Test).Take(500);
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.RawMessage); };
        var keys = LabeledImageData.LabelToKey(ml, train.ClassNames);
        var trainView = keys.Transform(LabeledImageData.FromImages(ml, train));

        var pipeline = ImagePipelines.GrayscalePixels(ml, 28, 28)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainerOptions { Training = Recipes.Tuned with { Epochs = 1, Threads = 2 } }));
        var model = pipeline.Fit(trainView);
        lock (log) Assert.IsTrue(log.Any(m => m.Contains("training the CNN on 10000 images")), "the trainer works in the caller's MLContext");

        using var dir = new TempDir();
        string path = dir.File("digits.zip");
        var metadata = new ModelMetadata { Kind = "digits", Classes = train.ClassNames, Width = 28, Height = 28, Preprocessing = "mnist-style" };
        ModelPackage.Save(ml, model, path, metadata);

        // ML.NET alone: the input schema saved with the model, Model Builder's input and output shapes.
        var fresh = new MLContext();
        var loaded = fresh.Model.Load(path, out var schema);
        Assert.AreEqual("ImagePath:String", string.Join(", ", schema.Select(c => $"{c.Name}:{c.Type}")));
        var outSchema = loaded.GetOutputSchema(schema);
        Assert.AreEqual(TextDataViewType.Instance, outSchema[ModelSchema.PredictedLabel].Type, "PredictedLabel is a string");
        var engine = fresh.Model.CreatePredictionEngine<ModelInput, ModelOutput>(loaded);
        int correct = 0;
        for (int i = 0; i < test.Count; i++)
        {
            string png = dir.File($"{i}.png");
            using (var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(28, 28, SkiaSharp.SKColorType.Gray8, SkiaSharp.SKAlphaType.Opaque)))
            {
                System.Runtime.InteropServices.Marshal.Copy(test.Image(i).ToArray(), 0, bitmap.GetPixels(), 28 * 28);
                using var encoded = SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(png, encoded.ToArray());
            }
            var p = engine.Predict(new ModelInput { ImagePath = png });
            Assert.AreEqual(p.Score.ToList().IndexOf(p.Score.Max()), test.ClassNames.ToList().IndexOf(p.PredictedLabel), "PredictedLabel is the most probable class");
            if (p.PredictedLabel == test.ClassNames[test.Labels[i]]) correct++;
        }
        // The ML.NET model (ImageAnalytics transforms + ONNX) must agree with the TorchSharp network it came from.
        using var tensors = new TensorDataset(test, Normalization.Mnist);
        var torch = MLPipelines.Training.Evaluation.Evaluator.Evaluate(((CnnModel)model.LastTransformer).Network, tensors);
        Console.WriteLine($"ML.NET model {correct}/{test.Count}, TorchSharp {torch.Correct}/{torch.Count}");
        Assert.AreEqual(torch.Correct, correct, 1, "ML.NET and TorchSharp accuracy");
        Assert.IsTrue(correct > 0.9 * test.Count, $"accuracy {correct}/{test.Count}");
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void UpgradingAFormatOneModelKeepsItsPredictions()
    {
        using var dir = new TempDir();
        string old = dir.File("old.zip");
        FormatOneModel.Save(TestData.DigitsModel, old);
        Assert.IsTrue(ModelUpgrade.Run(old, dir.File("new.zip")));
        Assert.IsFalse(ModelUpgrade.Run(dir.File("new.zip"), dir.File("again.zip")), "already current");
        Assert.AreEqual(ModelMetadata.CurrentFormat, ModelPackage.ReadMetadata(dir.File("new.zip")).Format);
        Assert.IsNotNull(ModelPackage.ReadPortableOnnx(dir.File("new.zip")), "a model that prepares pictures carries its portable ONNX");
        using var a = MLPipelines.Prediction.ImageClassifier.Load(old);
        using var b = MLPipelines.Prediction.ImageClassifier.Load(dir.File("new.zip"));
        foreach (string photo in Directory.GetFiles(Path.Combine(TestData.HandwrittenDigits, "drawn")))
        {
            var (p, q) = (a.Predict(photo), b.Predict(photo));
            Assert.AreEqual(p.Label, q.Label, photo);
            Assert.AreEqual(p.Probability, q.Probability, 1e-5, photo);
        }
    }
}
