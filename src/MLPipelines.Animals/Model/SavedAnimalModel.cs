using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Prediction.Models;

namespace MLPipelines.Animals.Model;

/// <summary>
/// A saved model .zip loaded to score image files: ML.NET loads the images (LoadImages: the same SkiaSharp decode
/// the featurizer and the prediction API use) into the model's Image column, then runs the whole saved pipeline.
/// </summary>
public sealed class SavedAnimalModel
{
    private readonly MLContext ml;
    private readonly ITransformer model;

    private SavedAnimalModel(MLContext ml, ITransformer model, ModelMetadata metadata)
    {
        this.ml = ml;
        this.model = model;
        Metadata = metadata;
    }

    public ModelMetadata Metadata { get; }

    public static SavedAnimalModel Load(string path, MLContext? ml = null)
    {
        var metadata = ModelPackage.ReadMetadata(path);
        ml ??= new MLContext();
        try
        {
            return new SavedAnimalModel(ml, ml.Model.Load(path, out _), metadata);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException)
        {
            throw new InvalidModelException($"{path}: ML.NET cannot load it ({e.Message})");
        }
    }

    /// <summary>Class probabilities (in <see cref="ModelMetadata.Classes"/> order) per file; null for a file that does not decode.</summary>
    public float[]?[] PredictFiles(IReadOnlyList<string> files)
    {
        var readable = files.Select(ImagePreprocessorProbe.Decodes).ToArray();
        var rows = ml.Data.LoadFromEnumerable(files.Where((_, i) => readable[i]).Select(f => new FileRow { ImagePath = Path.GetFullPath(f) }));
        var images = ml.Transforms.LoadImages(BackbonePipeline.Image, imageFolder: "", inputColumnName: nameof(FileRow.ImagePath)).Fit(rows).Transform(rows);
        var scores = model.Transform(images).GetColumn<float[]>(ModelSchema.Score).ToList();
        var result = new float[]?[files.Count];
        for (int i = 0, k = 0; i < files.Count; i++) result[i] = readable[i] ? scores[k++] : null;
        return result;
    }

    private sealed class FileRow
    {
        public string ImagePath { get; set; } = "";
    }
}
