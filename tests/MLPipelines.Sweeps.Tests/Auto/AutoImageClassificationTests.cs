using MLPipelines.Sweeps.Auto;
using MLPipelines.Tests.Support;

namespace MLPipelines.Sweeps.Tests.Auto;

/// <summary>mlp auto's library call on the shared data: the letters' search, its model, leaderboard and consumer project.</summary>
[TestClass]
public sealed class AutoImageClassificationTests
{
    [TestMethod]
    [TestCategory("slow")]
    [RequiresData("greek")]
    public void GreekLetters_TheTransferIsChosenTunedAndShippedWithAProjectThatUsesIt()
    {
        using var dir = new TempDir();
        string greek = Path.Combine(TestData.RequireRoot(), "greek");
        var result = AutoImageClassification.Run(new AutoImageClassificationOptions
        {
            Dataset = greek, Output = dir.File("run"), Budget = TimeSpan.FromSeconds(40), Threads = 2,
        });
        Console.WriteLine($"{result.Reason}; {result.Leaderboard.Count} trials; test {result.TestAccuracy:P2} of {result.TestCount}");
        Assert.AreEqual(AutoImageClassification.Transfer, result.Approach);
        Assert.IsTrue(result.Profile.GlyphLike, result.Reason);
        Assert.IsGreaterThanOrEqualTo(3, result.Leaderboard.Count, "trials within the budget");
        Assert.IsTrue(result.Leaderboard.Zip(result.Leaderboard.Skip(1)).All(p => p.First.ValidationAccuracy >= p.Second.ValidationAccuracy), "best first");
        Assert.AreEqual(36, result.TestCount);
        Assert.IsGreaterThanOrEqualTo(34 / 36.0, result.TestAccuracy!.Value, "the shared test letters");
        Assert.IsTrue(File.Exists(result.ModelPath));
        StringAssert.StartsWith(File.ReadAllLines(result.LeaderboardPath)[0], "rank,trial,approach,parameters,validation_accuracy");

        // The generated project builds against the packages alone and reads a letter.
        string project = result.ConsumerProject;
        ProcessRunner.Run(project, "dotnet", TimeSpan.FromMinutes(3), "build", "-c", "Release", "-nologo", "-v", "quiet");
        string alpha = Directory.GetFiles(Path.Combine(greek, "test", "alpha")).Order(StringComparer.Ordinal).First();
        string output = ProcessRunner.Run(project, "dotnet", TimeSpan.FromMinutes(1), Path.Combine(project, "bin", "Release", "net10.0", "ConsumeModel.dll"), alpha);
        StringAssert.Contains(output, $"{alpha}: alpha");
    }

    [TestMethod]
    [RequiresData("animals")]
    public void PhotosAreRefusedWithOneLineSayingWhatToUse()
    {
        using var dir = new TempDir();
        string photos = Directory.GetDirectories(Path.Combine(TestData.RequireRoot(), "animals")).Order(StringComparer.Ordinal).First();
        string train = Directory.Exists(Path.Combine(photos, "train")) ? Path.Combine(photos, "train") : photos;
        var e = Assert.ThrowsExactly<NotSupportedException>(() => AutoImageClassification.Run(new AutoImageClassificationOptions
        {
            Dataset = train, Output = dir.File("run"), Budget = TimeSpan.FromSeconds(5),
        }));
        StringAssert.Contains(e.Message, "mlp animals train");
        Assert.IsFalse(e.Message.Contains('\n'));
    }
}
