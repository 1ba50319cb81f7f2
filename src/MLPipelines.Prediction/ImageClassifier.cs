using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;

namespace MLPipelines.Prediction;

/// <summary>
/// One API over every image model the project makes (digits, letters, animals): load a .zip, predict
/// images given as files, streams or bytes, alone or in batches. Thread-safe: each call borrows a
/// prediction engine from a pool. Class names and the image preparation come from the model itself
/// (<see cref="ModelMetadata"/>), so the same code serves any model. Every image is decoded within
/// <see cref="Limits"/>: its header is checked first, and a large one is decoded at a reduced size.
/// </summary>
public sealed class ImageClassifier : IDisposable
{
    private readonly MLContext ml;
    private readonly ITransformer model;
    private readonly IImagePreprocessor? preprocessor;
    private readonly EnginePool<ImageInput, ImageOutput> engines;
    private readonly Microsoft.ML.Data.SchemaDefinition schema;

    private ImageClassifier(string path, MLContext ml, ITransformer model, ModelMetadata metadata, ImageLimits limits)
    {
        Path = path;
        Limits = limits;
        this.ml = ml;
        this.model = model;
        Metadata = metadata;
        // A model with a canvas prepares pictures itself; older ones are given the C# preparation.
        preprocessor = metadata.Canvas > 0 ? null : ImagePreprocessors.Get(metadata.Preprocessing);
        var schema = ImageColumn.SchemaFor<ImageInput>(metadata.Width, metadata.Height);
        engines = new EnginePool<ImageInput, ImageOutput>(() => ml.Model.CreatePredictionEngine<ImageInput, ImageOutput>(model, inputSchemaDefinition: schema));
        this.schema = schema;
    }

    public string Path { get; }
    public ModelMetadata Metadata { get; }
    public IReadOnlyList<string> Classes => Metadata.Classes;
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
    /// <summary>The most an image may be (refused beyond, see <see cref="ImageTooLargeException"/>) and the size large ones are decoded at.</summary>
    public ImageLimits Limits { get; }

    /// <summary>Where the model's ONNX graphs run: "cpu", or "cuda:N".</summary>
    public string Device { get; private init; } = "cpu";

    /// <summary>Why a GPU that was asked for is not used (one line), or null.</summary>
    public string? DeviceNote { get; private init; }

    /// <summary>
    /// Loads a model .zip. Throws <see cref="InvalidModelException"/> when it is not one of ours.
    /// <paramref name="onnxThreads"/>: threads ONNX Runtime uses inside one prediction (see <see cref="OnnxThreads"/>).
    /// <paramref name="limits"/>: how large an image may be (default <see cref="ImageLimits.Default"/>).
    /// <paramref name="gpuDevice"/>: run on this CUDA device when ONNX Runtime has it (the GPU build,
    /// Microsoft.ML.OnnxRuntime.Gpu.Linux, and CUDA 12 with cuDNN 9), else on the CPU, saying why in <see cref="DeviceNote"/>.
    /// </summary>
    public static ImageClassifier Load(string path, int onnxThreads = OnnxThreads.Default, ImageLimits? limits = null, int? gpuDevice = null)
    {
        limits ??= ImageLimits.Default;
        limits.Validate();
        var metadata = ModelPackage.ReadMetadata(path);
        var ml = new MLContext();
        OnnxThreads.Use(ml, onnxThreads);
        string? note = null;
        if (gpuDevice is int gpu)
        {
            if (GpuFallback.CudaAvailable(gpu, out note))
            {
                ml.GpuDeviceId = gpu;
                ml.FallbackToCpu = true;
            }
        }
        ITransformer model;
        try
        {
            model = ModelPackage.FromImage(ml.Model.Load(path, out _));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException)
        {
            throw new InvalidModelException($"{path}: ML.NET cannot load it ({Innermost(e)})");
        }
        return new ImageClassifier(System.IO.Path.GetFullPath(path), ml, model, metadata, limits)
        {
            Device = ml.GpuDeviceId is int id ? $"cuda:{id}" : "cpu",
            DeviceNote = note,
        };
    }

    /// <summary>ML.NET wraps the cause ("Error during class instantiation"); the innermost message says what is wrong.</summary>
    private static string Innermost(Exception e)
    {
        string message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is not System.Reflection.TargetInvocationException) message = $"{e.Message}: {inner.Message}";
        return message;
    }

    public Prediction Predict(string imagePath)
    {
        byte[] bytes;
        try
        {
            long length = new FileInfo(imagePath).Length;
            if (length > Limits.MaxFileBytes)
                throw new InvalidImageException($"{imagePath}: file too large: {length:N0} bytes (the limit is {Limits.MaxFileBytes:N0})");
            bytes = File.ReadAllBytes(imagePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException($"{imagePath}: {e.Message}");
        }
        return Predict(bytes, imagePath);
    }

    /// <summary>Predicts an image read from <paramref name="stream"/> (at most <see cref="ImageLimits.MaxFileBytes"/> of it).</summary>
    public Prediction Predict(Stream stream, string name = "image")
    {
        using var m = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            if (m.Length + n > Limits.MaxFileBytes)
                throw new InvalidImageException($"{name}: image too large: more than {Limits.MaxFileBytes:N0} bytes");
            m.Write(buffer, 0, n);
        }
        return Predict(m.GetBuffer().AsSpan(0, (int)m.Length), name);
    }

    public Prediction Predict(ReadOnlySpan<byte> encoded, string name = "image")
    {
        using var image = Prepare(encoded, name);
        return PredictPrepared(image, name);
    }

    /// <summary>
    /// Predicts an image already prepared for the model (see <see cref="Prepare"/>). The image is consumed: an
    /// ML.NET engine keeps its last row and disposes that row's images on its next call, which may come from
    /// another thread, so it is disposed here while this call still holds the engine (MLImage.Dispose is not
    /// thread-safe; disposing it again later does nothing).
    /// </summary>
    public Prediction PredictPrepared(MLImage image, string name = "image")
    {
        var output = engines.Use(e =>
        {
            var result = e.Predict(new ImageInput { Image = image });
            image.Dispose();
            return result;
        });
        return FromScores(output.Score, name);
    }

    /// <summary>A model that prepares pictures itself scores a picture without ink as NaN: the C# preparation's error.</summary>
    private Prediction FromScores(float[] scores, string name) =>
        scores.Any(float.IsNaN)
            ? throw new InvalidImageException($"{name}: no ink found: the image is blank or has too little contrast")
            : Prediction.FromScores(scores, Classes);

    /// <summary>
    /// Predicts many images in one pass through the ML.NET pipeline (faster than one at a time).
    /// Images that cannot be read give null and their error.
    /// </summary>
    public IReadOnlyList<(Prediction? Prediction, string? Error)> PredictBatch(IReadOnlyList<byte[]> images)
    {
        var prepared = new MLImage?[images.Count];
        var errors = new string?[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            try
            {
                prepared[i] = Prepare(images[i], $"image {i}");
            }
            catch (InvalidImageException e)
            {
                errors[i] = e.Message;
            }
        }
        var valid = Enumerable.Range(0, images.Count).Where(i => prepared[i] is not null).ToList();
        var results = new (Prediction?, string?)[images.Count];
        foreach (int i in Enumerable.Range(0, images.Count).Where(i => prepared[i] is null)) results[i] = (null, errors[i]);
        if (valid.Count > 0)
        {
            var rows = ml.Data.LoadFromEnumerable(valid.Select(i => new ImageInput { Image = prepared[i] }), schema);
            var scores = model.Transform(rows).GetColumn<float[]>(ModelSchema.Score).ToList();
            for (int k = 0; k < valid.Count; k++)
            {
                try
                {
                    results[valid[k]] = (FromScores(scores[k], $"image {valid[k]}"), null);
                }
                catch (InvalidImageException e)
                {
                    results[valid[k]] = (null, e.Message);
                }
            }
        }
        foreach (var image in prepared) image?.Dispose();
        return results;
    }

    /// <summary>Decodes the image and prepares it as the model expects (for digits: an MNIST-style 28x28 digit).</summary>
    public MLImage Prepare(ReadOnlySpan<byte> encoded, string name = "image")
    {
        if (preprocessor is null)
        {
            using var bitmap = ImageDecoder.Decode(encoded, name, Limits);
            return MLImages.From(bitmap);
        }
        var gray = ImageDecoder.DecodeGray(encoded, name, Limits);
        GrayImage input;
        try
        {
            input = preprocessor.Process(gray);
        }
        catch (InvalidImageException e)
        {
            throw new InvalidImageException($"{name}: {e.Message}");
        }
        return MLImages.From(input);
    }

    public void Dispose() => engines.Dispose();
}
