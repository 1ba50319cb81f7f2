using MLPipelines.Sweeps.Space;

namespace MLPipelines.Sweeps.Tests;

[TestClass]
public sealed class SearchSpaceTests
{
    [TestMethod]
    public void TheAssignmentsSpaceHasFiftyDistinctPoints()
    {
        var grid = SearchSpace.Assignment.Grid().ToList();
        Assert.AreEqual(50, grid.Count);
        Assert.AreEqual(50, grid.Select(p => p.Key).Distinct().Count());
        Assert.AreEqual(50L, SearchSpace.Assignment.GridSize);
        Assert.AreEqual("dropout=0.3 batch=40 kernel=4", grid[0].ToString());
    }

    [TestMethod]
    public void ParsesChoicesAndRangesAndReadsBackItsOwnText()
    {
        var space = SearchSpace.Parse("dropout=0.3,0.5; lr=0.001..0.1:log:3 ;hidden=20..80:int:4;momentum=0.1..0.9");
        Assert.IsInstanceOfType<Choice>(space["dropout"]);
        var lr = (FloatRange)space["lr"];
        Assert.IsTrue(lr.Log);
        CollectionAssert.AreEqual(new[] { 0.001, 0.01, 0.1 }, lr.GridValues.Select(v => Math.Round(v, 6)).ToArray());
        CollectionAssert.AreEqual(new double[] { 20, 40, 60, 80 }, space["hidden"].GridValues.ToArray());
        Assert.AreEqual(5, space["momentum"].GridValues.Count);
        var again = SearchSpace.Parse(space.ToString());
        Assert.AreEqual(space.ToString(), again.ToString());
        Assert.AreEqual(2L * 3 * 4 * 5, again.GridSize);
    }

    [TestMethod]
    public void LogRangesSampleEvenlyOnTheLogScaleAndStayInside()
    {
        var lr = new FloatRange("lr", 1e-4, 1, Log: true);
        var random = new Random(3);
        var samples = Enumerable.Range(0, 4000).Select(_ => lr.Sample(random)).ToList();
        Assert.IsTrue(samples.All(s => s >= 1e-4 && s <= 1));
        double belowMiddle = samples.Count(s => s < 1e-2) / (double)samples.Count;
        Assert.AreEqual(0.5, belowMiddle, 0.04, "half the samples should fall below the geometric middle");
        var batch = new IntRange("batch", 16, 256, Log: true);
        var ints = Enumerable.Range(0, 2000).Select(_ => batch.Sample(random)).ToList();
        Assert.IsTrue(ints.All(v => v >= 16 && v <= 256 && v == Math.Round(v)));
        Assert.IsTrue(ints.Count(v => v < 64) > 800, "log-uniform: as many in 16..64 as in 64..256");
    }

    [TestMethod]
    [DataRow("dropout", "bad search space entry 'dropout'")]
    [DataRow("dropout=0.3,x", "'x' is not a number")]
    [DataRow("lr=0.1..0.01", "low end must be below")]
    [DataRow("lr=0..1:log", "log range must be positive")]
    [DataRow("lr=0.1..1:cubic", "unknown range option 'cubic'")]
    [DataRow("a=1,2;a=3", "appears twice")]
    [DataRow("batch=1.5..8:int", "whole-number ends")]
    public void BadSpacesGiveOneLineErrors(string text, string expected)
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => SearchSpace.Parse(text));
        StringAssert.Contains(e.Message, expected);
        Assert.IsFalse(e.Message.Contains('\n'));
    }

    [TestMethod]
    public void PointsHaveOrderFreeKeysAndAreCheckedAgainstTheSpace()
    {
        var a = ParameterSet.Parse("dropout=0.5;batch=100;kernel=5");
        var b = ParameterSet.Parse("kernel=5 batch=100 dropout=0.5");
        Assert.AreEqual(a, b);
        Assert.AreEqual(a.Key, ParameterSet.FromJson(a.ToJson()).Key);
        SearchSpace.Assignment.Validate(a);
        var e = Assert.ThrowsExactly<ArgumentException>(() => SearchSpace.Assignment.Validate(a.With("batch", 64)));
        StringAssert.Contains(e.Message, "batch=64 is outside");
    }
}
