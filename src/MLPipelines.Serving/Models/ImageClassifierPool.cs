using MLPipelines.Core.Models;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.ML.Data;
using MLPipelines.Prediction;
using MLPipelines.Core.Imaging;

namespace MLPipelines.Serving.Models;

/// <summary>A model file that is not being served, and why.</summary>
public sealed record ModelProblem(string File, string Error);

/// <summary>
/// An injectable, thread-safe pool of image models (the <c>PredictionEnginePool</c> of <c>Microsoft.Extensions.ML</c>,
/// for this project's models): the files of its sources (<see cref="ImageClassifierPoolOptions"/>), each loaded once and
/// shared by every caller. <see cref="Scan"/> brings the set in line with the sources: new files are loaded, replaced
/// files are loaded beside the old version and swapped in with one reference assignment once they work (a call in
/// flight keeps the version it leased), removed files are retired. A file that fails to load never replaces a working
/// version. Register it with <c>services.AddImageClassifiers(...)</c>.
/// </summary>
public sealed class ImageClassifierPool : IDisposable
{
    private readonly ILogger logger;
    private readonly object scanLock = new();
    private ImmutableSortedDictionary<string, LoadedModel> models = ImmutableSortedDictionary<string, LoadedModel>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, (FileStamp? Stamp, ModelProblem Problem)> problems = ImmutableSortedDictionary<string, (FileStamp?, ModelProblem)>.Empty;
    private bool disposed;

    /// <summary>Loads the sources' models at once (see <see cref="Scan"/>).</summary>
    public ImageClassifierPool(ImageClassifierPoolOptions options, ILogger<ImageClassifierPool> logger)
    {
        if (options.Sources.Count == 0) throw new ArgumentException("no models: add a folder (FromFolder) or a file (AddImageClassifier)");
        Options = options;
        this.logger = logger;
        Scan();
    }

    public ImageClassifierPoolOptions Options { get; }

    /// <summary>The first folder source's path (what <c>mlp serve</c> serves), or the first file's folder.</summary>
    public string Folder => Options.Sources.FirstOrDefault(s => s.IsFolder)?.Path ?? Path.GetDirectoryName(Options.Sources[0].Path)!;

    /// <summary>The models being served, by name.</summary>
    public IReadOnlyCollection<LoadedModel> Models => Volatile.Read(ref models).Values.ToList();

    /// <summary>The names of the models being served.</summary>
    public IReadOnlyList<string> Names => Volatile.Read(ref models).Keys.ToList();

    /// <summary>
    /// Predicts an encoded image (PNG, JPEG, GIF, BMP, WebP) with the named model's current version. Throws
    /// <see cref="KeyNotFoundException"/> for an unknown name and <c>InvalidImageException</c> for what it cannot read.
    /// </summary>
    public Prediction.Prediction Predict(string name, ReadOnlySpan<byte> image)
    {
        using var lease = Lease(name) ?? throw Unknown(name);
        return lease.Model.Classifier.Predict(image, name);
    }

    /// <summary>Predicts an image read from a stream with the named model (see the byte overload).</summary>
    public Prediction.Prediction Predict(string name, Stream image)
    {
        using var lease = Lease(name) ?? throw Unknown(name);
        return lease.Model.Classifier.Predict(image, name);
    }

    private KeyNotFoundException Unknown(string name) =>
        new($"no model named '{name}' (served: {(Names.Count == 0 ? "none" : string.Join(", ", Names))})");

    /// <summary>Files of the sources that are not served (unreadable, not a model, a name that cannot be served).</summary>
    public IReadOnlyList<ModelProblem> Problems => Volatile.Read(ref problems).Values.Select(p => p.Problem).ToList();

    public bool Contains(string name) => Volatile.Read(ref models).ContainsKey(name);

    /// <summary>Borrows the current version of a model; null when no model has that name. Dispose the lease when done.</summary>
    public ModelLease? Lease(string name)
    {
        while (true)
        {
            if (!Volatile.Read(ref models).TryGetValue(name, out var model)) return null;
            if (model.TryAcquire()) return new ModelLease(model);
            // Lost a race with a swap that already released this version: the successor is in the map now.
        }
    }

    /// <summary>
    /// Loads what is new or changed in the sources and retires what is gone. <paramref name="reload"/> names
    /// models to load again even if size and time look unchanged ("*": all of them).
    /// </summary>
    public void Scan(IReadOnlySet<string>? reload = null)
    {
        lock (scanLock)
        {
            if (disposed) return;
            var candidates = new List<(string Name, string File)>();
            foreach (var source in Options.Sources)
            {
                if (!source.IsFolder)
                {
                    if (File.Exists(source.Path)) candidates.Add((source.Name!, source.Path));
                    else SetProblem(Path.GetFileName(source.Path), null, $"model file not found ({source.Name})");
                    continue;
                }
                try
                {
                    candidates.AddRange(Directory.EnumerateFiles(source.Path).Where(f => ModelNames.FromFile(f) is not null)
                        .OrderBy(f => f, StringComparer.Ordinal).Select(f => (ModelNames.FromFile(f)!, f)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The folder is gone or unreadable: keep serving what is loaded rather than drop everything.
                    logger.LogWarning("cannot list {Folder}: {Error}", source.Path, e.Message);
                    return;
                }
            }
            var files = candidates.Select(c => c.File).ToList();

            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, file) in candidates)
            {
                string fileName = Path.GetFileName(file);
                if (present.Contains(name))
                {
                    SetProblem(fileName, null, $"not served: another source already serves a model named '{name}'");
                    continue;
                }
                if (!ModelNames.IsValid(name))
                {
                    SetProblem(fileName, null, $"not served: a model name may hold only letters, digits, '.', '_' and '-'");
                    continue;
                }
                present.Add(name);
                var stamp = FileStamp.Of(file);
                if (stamp is null) continue;
                bool forced = reload is not null && (reload.Contains(name) || reload.Contains("*"));
                if (!forced && models.TryGetValue(name, out var current) && current.Stamp == stamp) continue;
                if (!forced && problems.TryGetValue(fileName, out var known) && known.Stamp == stamp) continue;
                Load(name, file, stamp.Value);
            }

            foreach (var gone in models.Keys.Where(n => !present.Contains(n)).ToList())
            {
                var model = models[gone];
                Volatile.Write(ref models, models.Remove(gone));
                model.Release();
                logger.LogInformation("removed {Name}: {File} is gone", gone, model.File);
            }
            foreach (var file in problems.Keys.Where(f => !files.Any(x => Path.GetFileName(x) == f)
                         && !Options.Sources.Any(s => !s.IsFolder && Path.GetFileName(s.Path) == f && !File.Exists(s.Path))).ToList())
                Volatile.Write(ref problems, problems.Remove(file));
        }
    }

    private void Load(string name, string file, FileStamp stamp)
    {
        string fileName = Path.GetFileName(file);
        ImageClassifier classifier;
        byte[]? portable;
        try
        {
            classifier = ImageClassifier.Load(file, Options.OnnxThreads, Options.Limits);
            WarmUp(classifier);
            portable = classifier.Metadata.Canvas > 0 ? ModelPackage.ReadPortableOnnx(file) : null;
        }
        // Whatever is wrong with a file in the folder, the server keeps serving the rest (and the old version).
        catch (Exception e)
        {
            // Clients see the problem: name the file, never the server's folder.
            string message = e.Message.ReplaceLineEndings(" ").Replace(Path.GetFullPath(file), fileName).Replace(file, fileName);
            SetProblem(fileName, stamp, message);
            logger.LogWarning("not loaded: {File}: {Error}{Kept}", fileName, message,
                models.ContainsKey(name) ? " (still serving the previous version)" : "");
            return;
        }
        int version = models.TryGetValue(name, out var old) ? old.Version + 1 : 1;
        var loaded = new LoadedModel(classifier, name, fileName, stamp, version, portable);
        Volatile.Write(ref models, models.SetItem(name, loaded));
        Volatile.Write(ref problems, problems.Remove(fileName));
        old?.Release();
        var m = classifier.Metadata;
        logger.LogInformation("{Action} {Name}: {Kind}, {Classes} classes, {Width}x{Height}, preprocessing {Preprocessing}",
            old is null ? "loaded" : $"reloaded (version {version})", name, m.Kind, m.Classes.Count, m.Width, m.Height, m.Preprocessing);
    }

    /// <summary>Runs one blank image through the model so its first request does not pay for engine creation.</summary>
    private static void WarmUp(ImageClassifier classifier)
    {
        var m = classifier.Metadata;
        var white = new byte[m.Width * m.Height * 4];
        Array.Fill(white, (byte)255);
        using var image = MLImage.CreateFromPixels(m.Width, m.Height, MLPixelFormat.Bgra32, white);
        try
        {
            classifier.PredictPrepared(image);
        }
        catch (InvalidImageException)
        {
            // A model that prepares pictures itself finds no ink in a blank one; its engine is warm all the same.
        }
    }

    private void SetProblem(string file, FileStamp? stamp, string message) =>
        Volatile.Write(ref problems, problems.SetItem(file, (stamp, new ModelProblem(file, message))));

    public void Dispose()
    {
        lock (scanLock)
        {
            if (disposed) return;
            disposed = true;
            foreach (var model in models.Values) model.Release();
            Volatile.Write(ref models, models.Clear());
        }
    }
}
