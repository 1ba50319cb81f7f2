using MLPipelines.Animals.Data;
using MLPipelines.Animals.Evaluation;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Heads;
using MLPipelines.Animals.Model;
using MLPipelines.Animals.Tests.Support;
using MLPipelines.Animals.Training;
using MLPipelines.Prediction;
using MLPipelines.Tests.Support;
using Microsoft.ML;

namespace MLPipelines.Animals.Tests;

/// <summary>Heads on a small hymenoptera subset (30 train + 25 validation photos a class), saved and reloaded.</summary>
[TestClass]
public sealed class TransferLearningTests
{
    private static TempDir? folder;
    private static PreparedFeatures? prepared;

    [ClassInitialize]
    public static void Featurize(TestContext _)
    {
        folder = new TempDir();
        string data = Path.Combine(folder.Path, "hym");
        AnimalsData.LinkHymenopteraSubset(data, train: 30, val: 25);
        var set = PhotoSetLoader.Load(data);
        var splits = StratifiedSplitter.Assign(set, new SplitFractions(), 1);
        using var backbone = new OnnxBackbone(new BackboneOptions { Threads = 2 });
        prepared = PreparedFeatures.Compute(set, splits, backbone, FeatureCache.Open(Path.Combine(folder.Path, "cache"), data), "mirror");
    }

    [ClassCleanup]
    public static void Cleanup() => folder?.Dispose();

    [TestMethod]
    public void AugmentedRowsArePhotosPlusTheirMirrors()
    {
        var p = prepared!;
        Assert.AreEqual(60, p.TrainPhotos.Length);
        Assert.AreEqual(50, p.ValidationPhotos.Length);
        Assert.AreEqual(120, p.Train.Count);
        Assert.AreEqual(Split.Validation, p.EvaluationSplit, "no test split: report on validation");
        CollectionAssert.AreEqual(p.Train.Groups!.Take(60).ToArray(), p.Train.Groups!.Skip(60).ToArray(), "a mirror belongs to its photo's group");
        Assert.AreEqual("imageNotFound.gif", Path.GetFileName(p.Set.Skipped.Single().Path));
    }

    [TestMethod]
    [TestCategory("slow")]
    public void LbfgsHeadLearnsAndTheSavedModelPredictsTheSameFromFiles()
    {
        var p = prepared!;
        var ml = new MLContext(1);
        using var head = MlNetHead.Train(ml, "lbfgs", p.Train, folds: 3);
        var report = ClassificationReport.From(p.Set.ClassNames, p.Validation.Labels, head.Predict(ml, p.Validation.Features));
        Assert.IsTrue(report.Accuracy >= 0.85, $"validation accuracy {report.Accuracy:P1}");
        StringAssert.Contains(head.Notes.Single(), "cross-validation");
        AssertSavedModelAgrees(ml, head, report);
    }

    [TestMethod]
    [TestCategory("slow")]
    public void MlpHeadTrainsWithTorchSharpAndItsOnnxHeadIsInTheModel()
    {
        var p = prepared!;
        var ml = new MLContext(1);
        using var head = MlpHead.Train(ml, p.Train, p.Validation, new MlpHeadOptions { Epochs = 15 });
        var report = ClassificationReport.From(p.Set.ClassNames, p.Validation.Labels, head.Predict(ml, p.Validation.Features));
        Assert.IsTrue(report.Accuracy >= 0.85, $"validation accuracy {report.Accuracy:P1}");
        Assert.IsTrue(head.Notes.Any(n => n.Contains("epoch 15/15")));
        AssertSavedModelAgrees(ml, head, report);
    }

    private static void AssertSavedModelAgrees(MLContext ml, TrainedHead head, ClassificationReport expected)
    {
        var p = prepared!;
        string path = Path.Combine(folder!.Path, $"model-{head.Name}.zip");
        var metadata = AnimalModel.Metadata(p.Set.ClassNames, head.Description, "test", new Dictionary<string, double> { ["validation_accuracy"] = expected.Accuracy });
        AnimalModel.Save(ml, BackbonePipeline.Fit(ml, new BackboneOptions { Threads = 2 }), head.PipelineTransformers(ml), metadata, path);

        // The project's one prediction API, as an app uses it: a path in, a Prediction out.
        using var model = ImageClassifier.Load(path);
        CollectionAssert.AreEqual(p.Set.ClassNames.ToArray(), model.Classes.ToArray());
        Assert.AreEqual(AnimalModel.Kind, model.Metadata.Kind);
        Assert.AreEqual(224, model.Metadata.Width);
        foreach (int i in p.ValidationPhotos.Where((_, k) => k % 10 == 0))
        {
            int k = Array.IndexOf(p.ValidationPhotos, i);
            var prediction = model.Predict(p.Set.Photos[i].Path);
            Assert.AreEqual(p.Set.ClassNames[expected.Predictions[k]], prediction.Label, p.Set.Photos[i].Path);
            double diff = prediction.Scores.Select(s => (double)s.Probability).Zip(expected.Probabilities[k]).Max(z => Math.Abs(z.First - z.Second));
            Assert.IsTrue(diff < 1e-3, $"ImageClassifier and the head differ by {diff} on {p.Set.Photos[i].Path}");
        }
    }
}
