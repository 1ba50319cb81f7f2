using MLPipelines.Sweeps.Running;

namespace MLPipelines.Sweeps.Tests;

[TestClass]
public sealed class ProgressStudyMonitorTests
{
    [TestMethod]
    public void TheBarFollowsTheTimeBudgetWhenItEndsBeforeTheEpochs()
    {
        // A search bounded by time (mlp auto: thousands of trials allowed, 3 minutes given): the time is the measure.
        var byTime = ProgressStudyMonitor.Fraction(10, 300_000, TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(3), "");
        Assert.AreEqual(0.5, byTime.Done / byTime.Total, 1e-9);
        // Epochs further along than the clock: the epochs are the measure.
        var byEpochs = ProgressStudyMonitor.Fraction(80, 100, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(3), "");
        Assert.AreEqual(0.8, byEpochs.Done / byEpochs.Total, 1e-9);
        // No budget: epochs; past the budget: full, never beyond.
        Assert.AreEqual(0.1, ProgressStudyMonitor.Fraction(10, 100, TimeSpan.FromHours(1), null, "") is var p ? p.Done / p.Total : 0, 1e-9);
        var over = ProgressStudyMonitor.Fraction(1, 100, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(3), "");
        Assert.AreEqual(1.0, over.Done / over.Total, 1e-9);
    }
}
