using MLPipelines.Prediction.Evaluation;
using MLPipelines.Core.Datasets;
using Microsoft.ML;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Prediction;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;
using MLPipelines.Training.Transfer;
using static TorchSharp.torch;

namespace MLPipelines.Training.Tests.Transfer;

[TestClass]
public sealed class TransferTrainerTests
{
    private static string Greek => Path.Combine(TestData.RequireRoot(), "greek");

    /// <summary>The letter model's own preparation (ML.NET's canvas and the ONNX graph), shared by the tests here.</summary>
    private static ModelPreparation Letters => letters ??= new ModelPreparation(GreekLetterPreprocessor.PreprocessorName);
    private static ModelPreparation? letters;

    private static PreparedImages TrainLetters() =>
        PreparedImages.Prepare(ImageFolderSet.Scan(Path.Combine(Greek, "train")), Letters);

    private static DigitNet UntrainedDigits()
    {
        manual_seed(11);
        return new DigitNet();
    }

    [TestMethod]
    [RequiresData("mnist")]
    public void ParameterCountsAreTheAssignments()
    {
        using var digits = UntrainedDigits();
        var before = TransferTrainer.SummaryOf(digits, frozen: true, batch: 5);
        Assert.AreEqual(21_840, before.TotalParameters);
        Assert.AreEqual(0, before.TrainableParameters);
        StringAssert.Contains(before.ToString(), "(16,050)");   // frozen layers in parentheses, as torchinfo shows them

        using var frozen = TransferTrainer.Freeze(digits, []);
        using var three = frozen.WithNewOutput(3);
        var after = ModelSummary.Of(three, 5, 1, 28, 28);
        Assert.AreEqual(21_483, after.TotalParameters);
        Assert.AreEqual(153, after.TrainableParameters);
        Assert.AreEqual(21_330, after.NonTrainableParameters);
        StringAssert.Contains(after.ToString(), "Trainable params: 153");

        using var four = frozen.WithNewOutput(4);
        Assert.AreEqual(204, ModelSummary.Of(four, 5, 1, 28, 28).TrainableParameters);   // delta too: 50 x 4 + 4

        using var fc1 = TransferTrainer.Freeze(digits, new TransferOptions { FineTune = FineTuneLayers.Fc1 }.TrainablePrefixes);
        using var fc1Three = fc1.WithNewOutput(3);
        Assert.AreEqual(153 + 16_050, ModelSummary.Of(fc1Three, 5, 1, 28, 28).TrainableParameters);
    }

    [TestMethod]
    [RequiresData("greek")]
    [RequiresData("mnist")]
    public void FrozenWeightsAreBitIdenticalAfterTraining()
    {
        using var digits = UntrainedDigits();
        var letters = TrainLetters();
        var ml = new MLContext(seed: 1);
        var options = new TransferOptions { Training = TransferOptions.DefaultTraining with { Epochs = 3, Threads = 1, Seed = 5 } };

        using var result = TransferTrainer.Train(ml, digits, letters, options);

        var original = digits.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var trained = result.Model.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (string name in new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias" })
        {
            Assert.IsFalse(trained[name].requires_grad, name);
            CollectionAssert.AreEqual(original[name].data<float>().ToArray(), trained[name].data<float>().ToArray(), name);
        }
        CollectionAssert.AreEquivalent(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias" }, result.FrozenUnchanged.ToArray());
        Assert.IsTrue(trained["fc2.weight"].requires_grad);
        CollectionAssert.AreEqual(new long[] { 3, 50 }, trained["fc2.weight"].shape);
        Assert.AreEqual(3, result.History.Test.Count(t => t.Epoch > 0), "training loss and accuracy after each epoch");
        Assert.AreEqual(3 * 6, result.History.Train.Count, "a batch loss for each of the 6 batches of 5 letters");
        Assert.AreEqual(153, result.After.TrainableParameters);

        // The checker itself notices a change.
        using (no_grad()) trained["fc1.bias"].add_(1e-6f);
        Assert.ThrowsExactly<InvalidOperationException>(() => TransferTrainer.CheckFrozen(digits, result.Model.Network));
    }

    [TestMethod]
    [RequiresData("greek")]
    public void ANetworkWithAsManyOutputsAsClassesStillGetsANewTrainableLastLayer()
    {
        // A 10-class target on the digit network is this case; here a 3-output network and the 3 letters.
        manual_seed(11);
        using var digits = new DigitNet(new DigitNetOptions { Classes = 3 });
        var options = new TransferOptions { Training = TransferOptions.DefaultTraining with { Epochs = 2, Threads = 2, Seed = 5 } };

        using var result = TransferTrainer.Train(new MLContext(seed: 1), digits, TrainLetters(), options);

        var fc2 = result.Model.Network.named_parameters().Single(p => p.name == "fc2.weight").parameter;
        Assert.IsTrue(fc2.requires_grad, "the new last layer trains");
        Assert.IsFalse(TransferTrainer.BitIdentical(digits.named_parameters().Single(p => p.name == "fc2.weight").parameter, fc2), "a new layer, trained");
        Assert.AreEqual(6, result.FrozenUnchanged.Count, "everything else frozen and unchanged");
    }

    [TestMethod]
    [RequiresData("greek")]
    [RequiresData("mnist")]
    public void FineTuningFc1KeepsTheConvolutionsFrozen()
    {
        using var digits = UntrainedDigits();
        var options = new TransferOptions { Training = TransferOptions.DefaultTraining with { Epochs = 2, Threads = 1 }, FineTune = FineTuneLayers.Fc1, AugmentCopies = 1 };

        using var result = TransferTrainer.Train(new MLContext(seed: 1), digits, TrainLetters(), options);

        CollectionAssert.AreEquivalent(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias" }, result.FrozenUnchanged.ToArray());
        var fc1 = result.Model.Network.named_parameters().Single(p => p.name == "fc1.weight").parameter;
        var before = digits.named_parameters().Single(p => p.name == "fc1.weight").parameter;
        Assert.IsFalse(TransferTrainer.BitIdentical(before, fc1), "fc1 learns when fine-tuned");
        Assert.AreEqual(54, result.TrainCount, "27 letters and one augmented copy of each");
    }

    [TestMethod]
    [RequiresData("greek")]
    [RequiresData("mnist")]
    public void LearnsTheSharedLettersStopsWhenLearnedAndPredictsTheSameThroughImageClassifier()
    {
        using var digits = TrainedDigits.Get();
        var ml = new MLContext(seed: 1);
        var options = new TransferOptions { Training = TransferOptions.DefaultTraining with { Epochs = 100, Threads = 1, StopAtAccuracy = 1 } };
        using var result = TransferTrainer.Train(ml, digits, TrainLetters(), options);

        var last = result.History.Test[^1];
        Assert.IsTrue(result.Model.State.StoppedEarly, $"training accuracy after epoch {last.Epoch}: {last.Accuracy}");
        Assert.AreEqual(1.0, last.Accuracy);
        Assert.IsTrue(result.History.Test.Where(t => t.Epoch < last.Epoch).All(t => t.Accuracy < 1), "stops at the first epoch that learns every letter");

        using var dir = new TempDir();
        string path = dir.File("greek.zip");
        var metadata = new ModelMetadata { Kind = "greek-letters", Classes = result.ClassNames, Width = 28, Height = 28, Preprocessing = GreekLetterPreprocessor.PreprocessorName };
        TransferTrainer.Save(ml, result, path, metadata);

        using var classifier = ImageClassifier.Load(path);
        CollectionAssert.AreEqual(new[] { "alpha", "beta", "gamma" }, classifier.Classes.ToArray());
        Assert.AreEqual("greek-letter", classifier.Metadata.Preprocessing);
        using (var weights = TorchWeights.Load(path))
            Assert.AreEqual(3, weights.Options.Classes);

        var test = ImageFolderSet.Scan(Path.Combine(Greek, "test"), classifier.Classes);
        var evaluation = FolderEvaluation.Run(classifier, test);

        // The same letters through TorchSharp: prepared the same way, the network's arg-max.
        var prepared = PreparedImages.Prepare(test, Letters).ToLabeledImages();
        using var tensors = new TensorDataset(prepared, Normalization.Mnist);
        var torch = MLPipelines.Training.Evaluation.Evaluator.Evaluate(result.Model.Network, tensors);
        int agree = evaluation.Images.Where((s, i) => s.Predicted == torch.Predictions[i]).Count();
        Assert.AreEqual(test.Count, agree, "ImageClassifier (ML.NET + ONNX) and TorchSharp agree on every letter");

        Console.WriteLine($"stopped after epoch {last.Epoch}; test accuracy {evaluation.Overall}; " + string.Join("; ", evaluation.PerStyle));
        // Chance is 1/3; the frozen digit features do far better on other people's letters.
        Assert.IsTrue(evaluation.Overall.Accuracy >= 0.7, $"test accuracy {evaluation.Overall}");
        Assert.IsTrue(evaluation.PerStyle.All(s => s.Accuracy >= 0.5), string.Join("; ", evaluation.PerStyle));
    }
}
