using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.ML.Data;
using MLPipelines.Prediction;
using MLPipelines.Core.Imaging;

namespace MLPipelines.Serving.Models;

/// <summary>A model file that is not being served, and why.</summary>
public sealed record ModelProblem(string File, string Error);

/// <summary>
/// The models of one folder, each loaded once and shared by every request. <see cref="Scan"/> brings the
/// set in line with the folder: new files are loaded, replaced files are loaded beside the old version and
/// swapped in with one reference assignment once they work (a request in flight keeps the version it
/// leased), removed files are retired. A file that fails to load never replaces a working version.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly ILogger logger;
    private readonly object scanLock = new();
    private ImmutableSortedDictionary<string, LoadedModel> models = ImmutableSortedDictionary<string, LoadedModel>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, (FileStamp? Stamp, ModelProblem Problem)> problems = ImmutableSortedDictionary<string, (FileStamp?, ModelProblem)>.Empty;
    private bool disposed;

    private readonly ImageLimits limits;

    /// <param name="limits">How large the images the models are given may be (default <see cref="ImageLimits.Default"/>).</param>
    public ModelRegistry(string folder, ILogger<ModelRegistry> logger, ImageLimits? limits = null)
    {
        Folder = Path.GetFullPath(folder);
        this.logger = logger;
        this.limits = limits ?? ImageLimits.Default;
    }

    public string Folder { get; }

    /// <summary>The models being served, by name.</summary>
    public IReadOnlyCollection<LoadedModel> Models => Volatile.Read(ref models).Values.ToList();

    /// <summary>Files in the folder that are not served (unreadable, not a model, a name that cannot be served).</summary>
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
    /// Loads what is new or changed in the folder and retires what is gone. <paramref name="reload"/> names
    /// models to load again even if size and time look unchanged ("*": all of them).
    /// </summary>
    public void Scan(IReadOnlySet<string>? reload = null)
    {
        lock (scanLock)
        {
            if (disposed) return;
            List<string> files;
            try
            {
                files = Directory.EnumerateFiles(Folder).Where(f => ModelNames.FromFile(f) is not null).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The folder is gone or unreadable: keep serving what is loaded rather than drop everything.
                logger.LogWarning("cannot list {Folder}: {Error}", Folder, e.Message);
                return;
            }

            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (string file in files.OrderBy(f => f, StringComparer.Ordinal))
            {
                string name = ModelNames.FromFile(file)!;
                string fileName = Path.GetFileName(file);
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
            foreach (var file in problems.Keys.Where(f => !files.Any(x => Path.GetFileName(x) == f)).ToList())
                Volatile.Write(ref problems, problems.Remove(file));
        }
    }

    private void Load(string name, string file, FileStamp stamp)
    {
        string fileName = Path.GetFileName(file);
        ImageClassifier classifier;
        try
        {
            classifier = ImageClassifier.Load(file, limits: limits);
            WarmUp(classifier);
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
        var loaded = new LoadedModel(classifier, fileName, stamp, version);
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
        classifier.PredictPrepared(image);
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
