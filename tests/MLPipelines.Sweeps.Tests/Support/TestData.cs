using MLPipelines.Data;

namespace MLPipelines.Sweeps.Tests.Support;

/// <summary>The shared MNIST copy: $MLP_DATA, else ../shared/data beside the project root; inconclusive when absent.</summary>
public static class TestData
{
    public static string RequireRoot()
    {
        string? env = Environment.GetEnvironmentVariable(DataLocation.EnvironmentVariable);
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        string? project = ProjectRoot.Find(AppContext.BaseDirectory);
        string shared = project is null ? "" : Path.GetFullPath(Path.Combine(project, "..", "shared", "data"));
        if (!Directory.Exists(shared)) Assert.Inconclusive("shared data not found: set MLP_DATA or provide ../shared/data");
        return shared;
    }
}
