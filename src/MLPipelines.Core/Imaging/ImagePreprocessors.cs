namespace MLPipelines.Core.Imaging;

/// <summary>The preprocessors a model's metadata can name. "none" means the model takes the image as it is.</summary>
public static class ImagePreprocessors
{
    public const string None = "none";

    private static readonly Dictionary<string, Func<IImagePreprocessor>> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mnist-style"] = () => new MnistStylePreprocessor(),
        [GreekLetterPreprocessor.PreprocessorName] = () => new GreekLetterPreprocessor(),
    };

    /// <summary>Null for "none"; an error for a name this program does not know.</summary>
    public static IImagePreprocessor? Get(string name)
    {
        if (string.Equals(name, None, StringComparison.OrdinalIgnoreCase)) return null;
        return Known.TryGetValue(name, out var make) ? make()
            : throw new ArgumentException($"unknown image preprocessing '{name}' (known: none, {string.Join(", ", Known.Keys)})");
    }

    /// <summary>Adds a preprocessor (e.g. from another assembly) under its name.</summary>
    public static void Register(string name, Func<IImagePreprocessor> make) => Known[name] = make;
}
