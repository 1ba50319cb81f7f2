using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;

namespace MLPipelines.Tests.MLNet;

[TestClass]
public sealed class CnnTrainerTests
{
    public sealed class Input
    {
        [Microsoft.ML.Transforms.Image.ImageType(28, 28)]
        public MLImage? Image { get; set; }
    }

    public sealed class Output
    {
        public float[] Score { get; set; } = [];
        public string[] PredictedLabel { get; set; } = [];
    }

    [TestMethod]
    public void TrainsInsideAnMLNetPipelineAndSavesAModelThatMLNetAloneLoads()
    {
        string mnist = TestData.Mnist;
        var train = IdxDatasetLoader.Load(KnownDatasets.Mnist, mnist, DataSplit.Train).Take(10_000);
        var test = IdxDatasetLoader.Load(KnownDatasets.Mnist, mnist, DataSplit.Test).Take(500);
        var ml = new MLContext(seed: 1);
        var keys = LabeledImageData.LabelToKey(ml, train.ClassNames);
        var trainView = keys.Transform(LabeledImageData.FromImages(ml, train));

        var pipeline = ImagePipelines.GrayscalePixels(ml, 28, 28)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainerOptions { Training = Recipes.Tuned with { Epochs = 1, Threads = 2 } }));
        var model = pipeline.Fit(trainView);

        using var dir = new TempDir();
        string path = dir.File("digits.zip");
        var metadata = new ModelMetadata { Kind = "digits", Classes = train.ClassNames, Width = 28, Height = 28, Preprocessing = "mnist-style" };
        ModelPackage.Save(ml, model, null, path, metadata);

        var fresh = new MLContext();
        var loaded = fresh.Model.Load(path, out var schema);
        var outSchema = loaded.GetOutputSchema(LabeledImageData.InputSchema(fresh, 28, 28));
        Console.WriteLine("output schema: " + string.Join(", ", outSchema.Select(c => $"{c.Name}:{c.Type}")));
        var engine = fresh.Model.CreatePredictionEngine<Input, Output>(loaded);
        int correct = 0;
        var rows = LabeledImageData.FromImages(ml, test);
        foreach (var row in ml.Data.CreateEnumerable<LabeledImageRow>(rows, reuseRowObject: false))
        {
            var p = engine.Predict(new Input { Image = row.Image });
            if (p.PredictedLabel.Single() == row.Label) correct++;
        }
        // The ML.NET model (ImageAnalytics transforms + ONNX) must agree with the TorchSharp network it came from.
        using var tensors = new TensorDataset(test, Normalization.Mnist);
        var torch = MLPipelines.Training.Evaluation.Evaluator.Evaluate(((CnnModel)model.LastTransformer).Network, tensors);
        Console.WriteLine($"ML.NET model {correct}/{test.Count}, TorchSharp {torch.Correct}/{torch.Count}");
        Assert.AreEqual(torch.Correct, correct, 1, "ML.NET and TorchSharp accuracy");
        Assert.IsTrue(correct > 0.9 * test.Count, $"accuracy {correct}/{test.Count}");
    }
}
