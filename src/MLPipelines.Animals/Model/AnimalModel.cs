using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Data.IO;

namespace MLPipelines.Animals.Model;

/// <summary>One prediction of a saved animals model.</summary>
public sealed record AnimalPrediction(string Label, int Index, float Confidence, float[] Probabilities);

/// <summary>
/// A saved animals model: one ML.NET .zip holding the whole pipeline (image file -> ResNet18 features -> head ->
/// label) with both ONNX models inside, plus an <c>mlp-model.json</c> entry with the class names. Loading needs
/// ML.NET, ImageAnalytics and OnnxTransformer only.
/// </summary>
public sealed class AnimalModel : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly MLContext ml;
    private readonly ITransformer model;
    private readonly PredictionEngine<BackbonePipeline.Input, Output> engine;

    private AnimalModel(MLContext ml, ITransformer model, ModelInfo info)
    {
        this.ml = ml;
        this.model = model;
        Info = info;
        engine = ml.Model.CreatePredictionEngine<BackbonePipeline.Input, Output>(model);
    }

    public ModelInfo Info { get; }

    /// <summary>Writes backbone + head as one ML.NET model, atomically.</summary>
    public static void Save(MLContext ml, ITransformer backbone, IEnumerable<ITransformer> head, ModelInfo info, string path)
    {
        var parts = (backbone is IEnumerable<ITransformer> chain ? chain : [backbone]).Concat(head).ToArray();
        var whole = new TransformerChain<ITransformer>(parts);
        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<BackbonePipeline.Input>()).Schema;
        string temp = AtomicFile.TempPathFor(path);
        try
        {
            ml.Model.Save(whole, inputSchema, temp);
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Update))
            {
                var entry = zip.CreateEntry(ModelInfo.EntryName, CompressionLevel.Optimal);
                using var s = entry.Open();
                JsonSerializer.Serialize(s, info, Json);
            }
            AtomicFile.Commit(temp, path);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    public static ModelInfo ReadInfo(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.GetEntry(ModelInfo.EntryName) ?? throw new InvalidDataException($"{path} is not an animals model (no {ModelInfo.EntryName} inside)");
        using var s = entry.Open();
        return JsonSerializer.Deserialize<ModelInfo>(s) ?? throw new InvalidDataException($"{path}: empty {ModelInfo.EntryName}");
    }

    public static AnimalModel Load(string path, MLContext? ml = null)
    {
        var info = ReadInfo(path);
        if (info.Kind != ModelInfo.KindName) throw new InvalidDataException($"{path} is a '{info.Kind}' model, not an animals model");
        ml ??= new MLContext();
        var model = ml.Model.Load(path, out _);
        return new AnimalModel(ml, model, info);
    }

    /// <summary>Class probabilities for one image file.</summary>
    public AnimalPrediction Predict(string imagePath)
    {
        var output = engine.Predict(new BackbonePipeline.Input { ImagePath = Path.GetFullPath(imagePath) });
        var p = output.Score;
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return new AnimalPrediction(Info.ClassNames[best], best, p[best], p);
    }

    /// <summary>Probabilities for many files in one ML.NET pass (faster than one <see cref="Predict"/> each).</summary>
    public IEnumerable<float[]> PredictMany(IEnumerable<string> imagePaths)
    {
        var data = ml.Data.LoadFromEnumerable(imagePaths.Select(p => new BackbonePipeline.Input { ImagePath = Path.GetFullPath(p) }));
        using var cursor = model.Transform(data).GetRowCursor(model.GetOutputSchema(data.Schema).Where(c => c.Name == "Score"));
        var getter = cursor.GetGetter<VBuffer<float>>(cursor.Schema["Score"]);
        VBuffer<float> score = default;
        while (cursor.MoveNext())
        {
            getter(ref score);
            yield return score.DenseValues().ToArray();
        }
    }

    public void Dispose() => engine.Dispose();

    private sealed class Output
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }
}
