using MLPipelines.Core.Metrics;
using MLPipelines.Prediction.Scoring;

namespace MLPipelines.Prediction.Tests;

[TestClass]
public sealed class ClassificationMetricsTests
{
    [TestMethod]
    public void PrecisionRecallF1AndConfusionOfAKnownCase()
    {
        var m = new ClassificationMetrics(["cat", "dog", "fox"]);
        foreach (var (a, p) in new[] { ("cat", "cat"), ("cat", "cat"), ("cat", "dog"), ("dog", "dog"), ("dog", "cat"), ("fox", "dog"), ("owl", "cat") })
            m.Add(a, p);

        Assert.AreEqual(7, m.Total);
        Assert.AreEqual(3, m.Correct);
        Assert.AreEqual(3.0 / 7, m.Accuracy, 1e-12);
        CollectionAssert.AreEqual(new[] { "cat", "dog", "fox", "owl" }, m.Labels.ToArray(), "unknown labels after the classes");
        var confusion = m.ConfusionMatrix();
        CollectionAssert.AreEqual(new long[] { 2, 1, 0, 0 }, confusion[0]);
        CollectionAssert.AreEqual(new long[] { 1, 1, 0, 0 }, confusion[1]);
        CollectionAssert.AreEqual(new long[] { 0, 1, 0, 0 }, confusion[2]);
        CollectionAssert.AreEqual(new long[] { 1, 0, 0, 0 }, confusion[3]);

        var c = m.PerClass().ToDictionary(x => x.Label);
        Assert.AreEqual(2.0 / 4, c["cat"].Precision, 1e-12);   // predicted cat 4 times, right twice
        Assert.AreEqual(2.0 / 3, c["cat"].Recall, 1e-12);
        Assert.AreEqual(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), c["cat"].F1, 1e-12);
        Assert.AreEqual(1.0 / 3, c["dog"].Precision, 1e-12);
        Assert.AreEqual(0.5, c["dog"].Recall, 1e-12);
        Assert.AreEqual(0, c["fox"].Precision, "never predicted: 0, not NaN");
        Assert.AreEqual(0, c["fox"].F1);
        Assert.AreEqual(1, c["owl"].Support);
        Assert.AreEqual(0, c["owl"].Predicted);
        double catF1 = c["cat"].F1, dogF1 = c["dog"].F1;
        Assert.AreEqual((catF1 + dogF1) / 4, m.MacroF1, 1e-12, "mean over the 4 labels that occur");
        StringAssert.Contains(MetricsReport.ToText(m), "accuracy 42.86 % (3 of 7 labelled rows)");
    }
}
