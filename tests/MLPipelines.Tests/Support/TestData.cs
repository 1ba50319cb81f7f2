using MLPipelines.Data;

namespace MLPipelines.Tests.Support;

/// <summary>
/// The shared real data: $MLP_DATA, else ../shared/data next to the project root. Tests that need it call
/// <see cref="RequireRoot"/>, which marks them inconclusive when the data is absent (CI always has it).
/// </summary>
public static class TestData
{
    public static string? Root
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable(DataLocation.EnvironmentVariable);
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
            string? project = ProjectRoot.Find(AppContext.BaseDirectory);
            string shared = project is null ? "" : Path.GetFullPath(Path.Combine(project, "..", "shared", "data"));
            return Directory.Exists(shared) ? shared : null;
        }
    }

    public static string RequireRoot()
    {
        string? root = Root;
        if (root is null) Assert.Inconclusive("shared data not found: set MLP_DATA or provide ../shared/data");
        return root!;
    }

    public static string Mnist => Path.Combine(RequireRoot(), "mnist");
}
