using System.Text.RegularExpressions;

namespace MLPipelines.Serving.Models;

/// <summary>
/// A model's name is its file name without <c>.zip</c>. Names come from the folder listing only and are
/// looked up, never joined into a path, so a request cannot reach a file outside the folder; names with
/// anything but letters, digits, '.', '_' and '-' (slashes, "..", encoded separators) are refused outright.
/// </summary>
public static partial class ModelNames
{
    public const string Extension = ".zip";
    public const int MaxLength = 100;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && Pattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>The model name of a file in the folder, or null when the file is not a model file (wrong extension, hidden).</summary>
    public static string? FromFile(string path)
    {
        string file = Path.GetFileName(path);
        if (file.StartsWith('.') || !file.EndsWith(Extension, StringComparison.OrdinalIgnoreCase)) return null;
        return file[..^Extension.Length];
    }
}
