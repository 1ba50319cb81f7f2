using MLPipelines.Core.Imaging;

namespace MLPipelines.Serving.Models;

/// <summary>Where a pool's models come from: every <c>*.zip</c> of a folder (<see cref="Name"/> null), or one named file.</summary>
public sealed record ModelSource(string Path, string? Name, bool WatchForChanges)
{
    public bool IsFolder => Name is null;
}

/// <summary>
/// What <see cref="ImageClassifierPool"/> serves and how: <see cref="FromFolder"/> and <see cref="AddImageClassifier"/>
/// as <c>Microsoft.Extensions.ML</c>'s <c>FromFile</c>, the image limits every model applies, and how soon a changed
/// file is reloaded.
/// </summary>
public sealed class ImageClassifierPoolOptions
{
    private readonly List<ModelSource> sources = [];

    public IReadOnlyList<ModelSource> Sources => sources;

    /// <summary>How large the images the models are given may be (default <see cref="ImageLimits.Default"/>).</summary>
    public ImageLimits Limits { get; set; } = ImageLimits.Default;

    /// <summary>ONNX Runtime threads inside one prediction (see <c>OnnxThreads</c>).</summary>
    public int OnnxThreads { get; set; } = Prediction.Models.OnnxThreads.Default;

    /// <summary>How long a watched folder must be quiet after a change before models are reloaded.</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often watched sources are rescanned in case the file watcher missed an event.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Serves every <c>NAME.zip</c> in <paramref name="folder"/> as the model NAME; with <paramref name="watchForChanges"/>, files added, replaced or removed while running too.</summary>
    public ImageClassifierPoolOptions FromFolder(string folder, bool watchForChanges = true)
    {
        sources.Add(new ModelSource(System.IO.Path.GetFullPath(folder), null, watchForChanges));
        return this;
    }

    /// <summary>Serves one model file under <paramref name="name"/>; with <paramref name="watchForChanges"/>, reloaded when the file is replaced.</summary>
    public ImageClassifierPoolOptions AddImageClassifier(string name, string path, bool watchForChanges = false)
    {
        if (!ModelNames.IsValid(name)) throw new ArgumentException($"bad model name '{name}': use letters, digits, '.', '_' and '-'");
        if (sources.Any(s => s.Name == name)) throw new ArgumentException($"a model named '{name}' is already added");
        sources.Add(new ModelSource(System.IO.Path.GetFullPath(path), name, watchForChanges));
        return this;
    }
}
