using System.Globalization;
using MLPipelines.Data.IO;

namespace MLPipelines.Core.Models;

/// <summary>
/// Copies a trained model to where other commands and apps find it (<c>models/digits.zip</c>, a <c>--model-out</c>
/// path). The copy is atomic; a model already there is first kept in <c>keepReplacedIn</c>, and the result says
/// what was replaced, so publishing never loses a model without a trace.
/// </summary>
public static class ModelPublisher
{
    public static PublishResult Publish(string model, string target, string keepReplacedIn)
    {
        target = Path.GetFullPath(target);
        if (Directory.Exists(target)) throw new IOException($"{target} is a folder; give the model file's path");
        string? replaced = null, description = null;
        if (File.Exists(target))
        {
            description = Describe(target);
            Directory.CreateDirectory(keepReplacedIn);
            replaced = FreeName(Path.Combine(keepReplacedIn, "replaced-" + Path.GetFileName(target)));
            File.Copy(target, replaced, overwrite: false);
        }
        AtomicFile.Write(target, s =>
        {
            using var source = File.OpenRead(model);
            source.CopyTo(s);
        });
        return new PublishResult(target, replaced, description);
    }

    /// <summary>One line about a model file: kind, classes, accuracy, when and how it was made.</summary>
    public static string Describe(string path)
    {
        try
        {
            var m = ModelPackage.ReadMetadata(path);
            var inv = CultureInfo.InvariantCulture;
            double a = 0;
            if (m.Metrics is { } metrics && !metrics.TryGetValue("test_accuracy", out a)) metrics.TryGetValue("train_accuracy", out a);
            string accuracy = a > 0 ? string.Create(inv, $", accuracy {a:P2}") : "";
            string classes = m.Classes.Count <= 6 ? string.Join(", ", m.Classes) : $"{m.Classes.Count} classes";
            return string.Create(inv, $"{m.Kind} ({classes}){accuracy}, made {m.Created:yyyy-MM-dd HH:mm}") +
                   (m.TrainedWith is { Length: > 0 } w ? $" by '{w}'" : "");
        }
        catch (InvalidModelException e)
        {
            return e.Message;
        }
    }

    private static string FreeName(string path)
    {
        string stem = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path)), ext = Path.GetExtension(path);
        string candidate = path;
        for (int i = 2; File.Exists(candidate); i++) candidate = $"{stem}-{i}{ext}";
        return candidate;
    }
}

/// <summary>Where a model was published, and the model it replaced (kept at <see cref="ReplacedCopy"/>), if any.</summary>
public sealed record PublishResult(string Path, string? ReplacedCopy, string? ReplacedDescription)
{
    public bool Replaced => ReplacedCopy is not null;
}
