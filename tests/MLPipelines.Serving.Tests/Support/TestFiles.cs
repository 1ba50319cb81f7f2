using MLPipelines.Data;

namespace MLPipelines.Serving.Tests.Support;

/// <summary>The committed digit model and the shared handwritten digits the tests send to it.</summary>
public static class TestFiles
{
    public static string ProjectRoot =>
        Data.ProjectRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("tests run outside the project (no MLPipelines.sln above them)");

    /// <summary>models/digits.zip, committed with the project: the model `mlp serve` serves from a clean clone.</summary>
    public static string DigitModel
    {
        get
        {
            string path = Path.Combine(ProjectRoot, "models", "digits.zip");
            if (!File.Exists(path)) Assert.Fail($"{path} is missing: the committed digit model (`./mlp mnist train` makes it)");
            return path;
        }
    }

    /// <summary>models/greek.zip, committed with the project: the letter model (alpha, beta, gamma).</summary>
    public static string GreekModel
    {
        get
        {
            string path = Path.Combine(ProjectRoot, "models", "greek.zip");
            if (!File.Exists(path)) Assert.Fail($"{path} is missing: the committed letter model (`./mlp greek train` makes it)");
            return path;
        }
    }

    /// <summary>The shared data ($MLP_DATA, else ../shared/data); inconclusive without it (CI always has it).</summary>
    public static string DataRoot
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable(DataLocation.EnvironmentVariable);
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
            string shared = Path.GetFullPath(Path.Combine(ProjectRoot, "..", "shared", "data"));
            if (!Directory.Exists(shared)) Assert.Inconclusive("shared data not found: set MLP_DATA or provide ../shared/data");
            return shared;
        }
    }

    /// <summary>A handwritten digit: set is drawn (RGBA drawings), photos (phone photos of paper) or small (28x28).</summary>
    public static string Digit(string set, int digit)
    {
        string path = Path.Combine(DataRoot, "handwritten-digits", set, $"{digit}.png");
        if (!File.Exists(path)) Assert.Inconclusive($"{path} not found");
        return path;
    }
}
