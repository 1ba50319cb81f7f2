using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data.IO;

namespace MLPipelines.Core.Models;

/// <summary>
/// A model .zip: what <c>mlContext.Model.Save</c> writes, plus entries of our own under <c>MLPipelines/</c>
/// (metadata, and e.g. the TorchSharp weights a later training run continues from). ML.NET's
/// <c>Model.Load</c> reads only its own entries and ignores ours.
/// </summary>
public static class ModelPackage
{
    public const string Folder = "MLPipelines/";
    public const string MetadataEntry = Folder + "model.json";
    /// <summary>
    /// The whole model as one ONNX file for runtimes other than ML.NET (a browser, Node, Python), name relative
    /// to <see cref="Folder"/>: RGBA bytes of the picture fitted into the canvas in, Probabilities and
    /// PredictedIndex out, the class names in its metadata (mlp.classes). Only models that prepare pictures
    /// themselves carry it.
    /// </summary>
    public const string PortableOnnxEntry = "portable.onnx";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// Saves an image model (<paramref name="fromImage"/>: the transformers from the <see cref="ModelSchema.Image"/>
    /// column on) with metadata and extra entries into <paramref name="path"/>, atomically. ML.NET's <c>LoadImages</c>
    /// goes in front, and the model is saved with its input schema (one <see cref="ModelSchema.ImagePath"/> column):
    /// ML.NET cannot save a schema holding an image column, and a path is what an app that has only ML.NET can give,
    /// as Model Builder's generated code does. <c>ImageClassifier</c> starts after the loader, with its own decoding.
    /// </summary>
    public static void Save(MLContext ml, ITransformer fromImage, string path, ModelMetadata metadata, IReadOnlyDictionary<string, byte[]>? extra = null)
    {
        var paths = ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>());
        var loader = ml.Transforms.LoadImages(ModelSchema.Image, imageFolder: "", ModelSchema.ImagePath).Fit(paths);
        var parts = fromImage is TransformerChain<ITransformer> chain ? chain.ToArray() : [fromImage];
        var model = new TransformerChain<ITransformer>([loader, .. parts]);
        string tmp = AtomicFile.TempPathFor(path);
        try
        {
            ml.Model.Save(model, paths.Schema, tmp);
            using (var zip = ZipFile.Open(tmp, ZipArchiveMode.Update))
            {
                Add(zip, MetadataEntry, JsonSerializer.SerializeToUtf8Bytes(metadata, Json));
                foreach (var (name, bytes) in extra ?? new Dictionary<string, byte[]>())
                    Add(zip, Folder + name, bytes);
            }
            AtomicFile.Commit(tmp, path);
        }
        catch
        {
            AtomicFile.TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// The part of a loaded model that starts from the <see cref="ModelSchema.Image"/> column: after its image loader
    /// (format 2), or the whole model (format 1, which took an image and no path).
    /// </summary>
    public static ITransformer FromImage(ITransformer model) =>
        model is TransformerChain<ITransformer> chain && chain.FirstOrDefault() is Microsoft.ML.Data.ImageLoadingTransformer
            ? new TransformerChain<ITransformer>(chain.Skip(1).ToArray())
            : model;

    public static ModelMetadata ReadMetadata(string path)
    {
        using var zip = OpenZip(path);
        var entry = zip.GetEntry(MetadataEntry)
            ?? throw new InvalidModelException($"{path}: no {MetadataEntry}; not a model made by MLPipelines");
        using var s = entry.Open();
        try
        {
            var metadata = JsonSerializer.Deserialize<ModelMetadata>(s)
                ?? throw new InvalidModelException($"{path}: empty {MetadataEntry}");
            if (metadata.Format > ModelMetadata.CurrentFormat)
                throw new InvalidModelException($"{path}: model format {metadata.Format} is newer than this program understands ({ModelMetadata.CurrentFormat})");
            if (metadata.Classes.Count < 2) throw new InvalidModelException($"{path}: fewer than two classes in {MetadataEntry}");
            return metadata;
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"{path}: unreadable {MetadataEntry} ({e.Message})");
        }
    }

    /// <summary>One of our extra entries (name relative to MLPipelines/), or null.</summary>
    public static byte[]? ReadEntry(string path, string name)
    {
        using var zip = OpenZip(path);
        var entry = zip.GetEntry(Folder + name);
        if (entry is null) return null;
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>The model's portable ONNX (<see cref="PortableOnnxEntry"/>), or null when it carries none.</summary>
    public static byte[]? ReadPortableOnnx(string path) => ReadEntry(path, PortableOnnxEntry);

    private static ZipArchive OpenZip(string path)
    {
        if (!File.Exists(path)) throw new InvalidModelException($"model not found: {path}");
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw new InvalidModelException($"{path}: not a model (not a zip file)");
        }
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        zip.GetEntry(name)?.Delete();
        using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        s.Write(bytes);
    }
}
