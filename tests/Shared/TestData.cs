using MLPipelines.Data;

namespace MLPipelines.Tests.Support;

/// <summary>
/// The shared real data: $MLP_DATA, else ../shared/data next to the project root, and the project's committed digit
/// model. Tests that need the data call <see cref="RequireRoot"/>, which marks them inconclusive when it is absent
/// (CI always has it).
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

    public static string HandwrittenDigits
    {
        get
        {
            string folder = Path.Combine(RequireRoot(), "handwritten-digits");
            if (!Directory.Exists(folder)) Assert.Inconclusive($"{folder} not found");
            return folder;
        }
    }

    /// <summary>models/digits.zip, committed with the project (found from the test's folder).</summary>
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

/// <summary>
/// Runs the test (or the class's tests) only when the shared data has <see cref="Folder"/> (relative to its root;
/// empty: the root itself); otherwise the test is skipped, saying what is missing. CI always has the data.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RequiresDataAttribute : ConditionBaseAttribute
{
    public RequiresDataAttribute(string folder = "") : base(ConditionMode.Include)
    {
        Folder = folder;
        IgnoreMessage = $"shared data{(folder.Length == 0 ? "" : $" ({folder}/)")} not found: set MLP_DATA or provide ../shared/data";
    }

    public string Folder { get; }

    public override bool IsConditionMet => TestData.Root is { } root && Directory.Exists(Path.Combine(root, Folder));

    /// <summary>Each folder its own group, so that several attributes all have to hold.</summary>
    public override string GroupName => $"{nameof(RequiresDataAttribute)}:{Folder}";

}
