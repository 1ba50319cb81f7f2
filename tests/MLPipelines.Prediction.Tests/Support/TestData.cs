using MLPipelines.Data;

namespace MLPipelines.Prediction.Tests.Support;

/// <summary>
/// The shared real data ($MLP_DATA, else ../shared/data beside the project root; tests are inconclusive without
/// it) and the project's committed digit model, models/digits.zip (found from the test's folder).
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

    public static string HandwrittenDigits
    {
        get
        {
            string? root = Root;
            if (root is null) Assert.Inconclusive("shared data not found: set MLP_DATA or provide ../shared/data");
            string folder = Path.Combine(root!, "handwritten-digits");
            if (!Directory.Exists(folder)) Assert.Inconclusive($"{folder} not found");
            return folder;
        }
    }

    public static string DigitsModel
    {
        get
        {
            string path = Path.Combine(ProjectRoot.Find(AppContext.BaseDirectory) ?? ProjectRoot.FindOrCurrent(), "models", "digits.zip");
            if (!File.Exists(path)) Assert.Fail($"the committed digit model is missing: {path}");
            return path;
        }
    }
}
