using MLPipelines.Training;

namespace MLPipelines.Training.Tests;

[TestClass]
public sealed class LearningRatesTests
{
    [TestMethod]
    public void ConstantIsTheRate() =>
        Assert.AreEqual(0.01, LearningRates.At(Recipes.Assignment, 500, 1000));

    [TestMethod]
    public void OneCycleWarmsUpThenDecaysToZero()
    {
        var o = Recipes.Tuned;
        double start = LearningRates.At(o, 0, 1000), peak = LearningRates.At(o, 150, 1000), end = LearningRates.At(o, 999, 1000);
        Assert.IsTrue(start < peak / 10);
        Assert.AreEqual(o.LearningRate, peak, 1e-3);
        Assert.AreEqual(0, end, 1e-9);
    }

    [TestMethod]
    public void CosineHalvesAtTheMiddle()
    {
        var o = new TrainingOptions { LearningRate = 0.1, Schedule = LearningRateSchedule.Cosine };
        Assert.AreEqual(0.05, LearningRates.At(o, 50, 101), 1e-9);
    }
}
