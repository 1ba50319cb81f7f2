using MLPipelines.Data;

namespace MLPipelines.Prediction.Tests.Support;

/// <summary>
/// The shared real data ($MLP_DATA, else ../shared/data beside the project root) and the project's digit model
/// (models/digits.zip, committed). Tests that need them are inconclusive when they are absent.
/// </summary>
public static class TestData
{
    /// <summary>Overrides the model the tests use (e.g. one just trained); by default the committed models/digits.zip.</summary>
    public const string ModelVariable = "MLP_DIGITS_MODEL";

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
            string? env = Environment.GetEnvironmentVariable(ModelVariable);
            string path = !string.IsNullOrEmpty(env)
                ? Path.GetFullPath(env)
                : Path.Combine(ProjectRoot.Find(AppContext.BaseDirectory) ?? ProjectRoot.FindOrCurrent(), "models", "digits.zip");
            if (!File.Exists(path)) Assert.Inconclusive($"digit model not found: {path} (train one with 'mlp mnist train' or set {ModelVariable})");
            return path;
        }
    }
}
