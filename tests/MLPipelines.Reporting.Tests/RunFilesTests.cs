using MLPipelines.Core.Runs;
using MLPipelines.Tests.Support;

namespace MLPipelines.Reporting.Tests;

[TestClass]
public sealed class RunFilesTests
{
    [TestMethod]
    public void ReadsTheTrainersFiles()
    {
        using var temp = new TempDir();
        var run = SyntheticRun.Write(temp.Path, figures: false);
        Assert.HasCount(30, run.TrainLoss());
        var metrics = run.TestMetrics();
        Assert.HasCount(4, metrics);
        Assert.AreEqual(0.975, metrics[3].Accuracy, 1e-12);
        var predictions = run.Predictions();
        Assert.HasCount(1, predictions.Where(p => !p.Correct).ToList());
        var evaluation = run.Evaluation();
        Assert.AreEqual(10, evaluation.ConfusionMatrix().GetLength(0));
        Assert.AreEqual(21.5, evaluation.TrainSeconds);
        Assert.IsTrue(DigitRunFiles.IsDigitRun(temp.Path));
    }

    [TestMethod]
    public void AWrongHeaderOrLineNamesTheFile()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp.File("predictions.csv"), DigitRunFiles.PredictionsHeader + "\n1,2,x,0.5\n");
        var e = Assert.ThrowsExactly<RunFileException>(() => new DigitRunFiles(temp.Path).Predictions());
        Assert.Contains("predictions.csv: line 2 is not valid", e.Message);
        var missing = Assert.ThrowsExactly<RunFileException>(() => new DigitRunFiles(temp.Path).TrainLoss());
        Assert.Contains("train_loss.csv not found", missing.Message);
    }

    [TestMethod]
    public void FilterWeightsKeepRowsAndColumns()
    {
        var w = FilterWeights.From("conv1", Enumerable.Range(0, 2 * 9).Select(i => (float)i).ToArray(), 2, 3, [0.5f, -0.5f]);
        Assert.AreEqual(5f, w.Matrix(0)[1, 2]);
        Assert.AreEqual(9f, w.Matrix(1)[0, 0]);
        Assert.AreEqual(17f, w.Limit());
        Assert.ThrowsExactly<ArgumentException>(() => FilterWeights.From("x", new float[10], 2, 3, []));
    }
}
