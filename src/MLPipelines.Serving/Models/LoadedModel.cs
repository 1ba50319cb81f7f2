using MLPipelines.Prediction;

namespace MLPipelines.Serving.Models;

/// <summary>
/// One loaded version of a model file, shared by concurrent requests. It counts its users so that a hot
/// reload can retire it without pulling it from under a request in flight: it is disposed when the
/// registry has let go of it and the last request using it has finished.
/// </summary>
public sealed class LoadedModel
{
    private int references = 1; // the registry's own

    public LoadedModel(ImageClassifier classifier, string name, string file, FileStamp stamp, int version, byte[]? portableOnnx = null)
    {
        PortableOnnx = portableOnnx;
        Classifier = classifier;
        Name = name;
        File = file;
        Stamp = stamp;
        Version = version;
    }

    public ImageClassifier Classifier { get; }
    /// <summary>The name it is served under (its file's name without .zip, or the name it was added with).</summary>
    public string Name { get; }
    /// <summary>The file's name in the folder (name.zip).</summary>
    public string File { get; }
    public FileStamp Stamp { get; }
    /// <summary>
    /// The model as one ONNX file for the drawing page to run in the browser (the .zip's portable ONNX), or null
    /// when the model has none (older formats, models given prepared images, photo models).
    /// </summary>
    public byte[]? PortableOnnx { get; }
    /// <summary>1 for the first load of this name, then one more for each reload.</summary>
    public int Version { get; }
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;
    public bool Disposed => Volatile.Read(ref references) == 0;

    /// <summary>Takes a reference unless the model is already retired and released by everyone.</summary>
    internal bool TryAcquire()
    {
        while (true)
        {
            int n = Volatile.Read(ref references);
            if (n == 0) return false;
            if (Interlocked.CompareExchange(ref references, n + 1, n) == n) return true;
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref references) == 0) Classifier.Dispose();
    }
}

/// <summary>A request's hold on a model: the model stays usable until the lease is disposed.</summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? model;

    internal ModelLease(LoadedModel model) => this.model = model;

    public LoadedModel Model => model ?? throw new ObjectDisposedException(nameof(ModelLease));

    public void Dispose() => Interlocked.Exchange(ref model, null)?.Release();
}
