using MLPipelines.Data;

namespace MLPipelines.Data.Tests;

[TestClass]
public sealed class DataLocationTests
{
    [TestMethod]
    public void OptionWinsOverEnvironmentAndDefault()
    {
        var location = DataLocation.Resolve("/tmp/somewhere");
        Assert.AreEqual("/tmp/somewhere", location.Root);
        Assert.AreEqual("--data", location.Source);
    }

    [TestMethod]
    public void EnvironmentWinsOverDefault()
    {
        string? saved = Environment.GetEnvironmentVariable(DataLocation.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DataLocation.EnvironmentVariable, "/tmp/from-env");
            var location = DataLocation.Resolve(null);
            Assert.AreEqual("/tmp/from-env", location.Root);
            Assert.AreEqual(DataLocation.EnvironmentVariable, location.Source);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DataLocation.EnvironmentVariable, saved);
        }
    }

    [TestMethod]
    public void DefaultIsTheProjectDataFolder()
    {
        string? saved = Environment.GetEnvironmentVariable(DataLocation.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DataLocation.EnvironmentVariable, null);
            string project = ProjectRoot.Find(AppContext.BaseDirectory)!;
            var location = DataLocation.Resolve(null, Path.Combine(project, "src"));
            Assert.AreEqual(Path.Combine(project, "data"), location.Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DataLocation.EnvironmentVariable, saved);
        }
    }

    [TestMethod]
    public void DataSetFolderIsTheRootWhenItHoldsTheFiles()
    {
        var location = new DataLocation("/data", "test");
        Assert.AreEqual("/data", location.FolderFor("mnist", _ => true));
        Assert.AreEqual(Path.Combine("/data", "mnist"), location.FolderFor("mnist", _ => false));
    }
}
