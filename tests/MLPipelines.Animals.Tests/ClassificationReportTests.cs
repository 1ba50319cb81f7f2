using MLPipelines.Animals.Evaluation;

namespace MLPipelines.Animals.Tests;

[TestClass]
public sealed class ClassificationReportTests
{
    [TestMethod]
    public void PrecisionRecallConfusionAndMistakesMatchAHandCount()
    {
        // true:      a a a b b c
        // predicted: a a b b a c   (confidences 0.9 0.8 0.7 0.6 0.95 0.5)
        float[][] p =
        [
            [0.9f, 0.05f, 0.05f], [0.8f, 0.1f, 0.1f], [0.2f, 0.7f, 0.1f],
            [0.3f, 0.6f, 0.1f], [0.95f, 0.03f, 0.02f], [0.25f, 0.25f, 0.5f],
        ];
        var r = ClassificationReport.From(["a", "b", "c"], [0, 0, 0, 1, 1, 2], p);
        Assert.AreEqual(4, r.Correct);
        Assert.AreEqual(4 / 6.0, r.Accuracy, 1e-12);
        var a = r.PerClass[0];
        Assert.AreEqual(2 / 3.0, a.Precision, 1e-12);
        Assert.AreEqual(2 / 3.0, a.Recall, 1e-12);
        Assert.AreEqual(3, a.Support);
        Assert.AreEqual(0.5, r.PerClass[1].Precision, 1e-12);
        Assert.AreEqual(0.5, r.PerClass[1].Recall, 1e-12);
        Assert.AreEqual(1.0, r.PerClass[2].F1, 1e-12);
        var m = r.Confusion;
        Assert.AreEqual(2, m[0, 0]);
        Assert.AreEqual(1, m[0, 1]);
        Assert.AreEqual(1, m[1, 0]);
        CollectionAssert.AreEqual(new[] { 4, 2 }, r.MostConfidentMistakes(5).ToArray(), "0.95 then 0.7");
        Assert.AreEqual(-(Math.Log(0.9) + Math.Log(0.8) + Math.Log(0.2) + Math.Log(0.6) + Math.Log(0.03) + Math.Log(0.5)) / 6, r.LogLoss, 1e-6);
    }
}
