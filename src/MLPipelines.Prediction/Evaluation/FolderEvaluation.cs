using MLPipelines.Core.Datasets;
using MLPipelines.Core.Metrics;
using MLPipelines.Core.Runs;
using System.Globalization;
using System.Text;
using MLPipelines.Core.Imaging;
using MLPipelines.Prediction.Scoring;
using MLPipelines.Prediction;
using Microsoft.ML.Data;

namespace MLPipelines.Prediction.Evaluation;

/// <summary>One test image: its file, true class, what the model said, and the image the model was given.</summary>
public sealed record ScoredImage(ImageFolderFile File, int Predicted, float Confidence, GrayImage Input)
{
    public bool Correct => Predicted == File.Label;
}

/// <summary>Right / total for a group of images (a style, a class, all).</summary>
public sealed record GroupAccuracy(string Name, int Correct, int Count)
{
    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Correct}/{Count} ({Accuracy:P1})");
}

/// <summary>
/// A model tested on a folder-per-class set through <see cref="ImageClassifier"/>, the project's prediction API:
/// the same preprocessing and ML.NET pipeline any app gets. Accuracy overall, per class and per style (the file
/// name's prefix: setA, setB, setC in the shared test set), and the confusion matrix.
/// </summary>
public sealed class FolderEvaluation
{
    private FolderEvaluation(IReadOnlyList<string> classes, IReadOnlyList<ScoredImage> images)
    {
        ClassNames = classes;
        Images = images;
    }

    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<ScoredImage> Images { get; }
    public GroupAccuracy Overall => Group("all", Images);
    public IReadOnlyList<GroupAccuracy> PerStyle =>
        Images.GroupBy(i => i.File.Style).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g)).ToList();
    public IReadOnlyList<GroupAccuracy> PerClass =>
        ClassNames.Select((name, c) => Group(name, Images.Where(i => i.File.Label == c))).Where(g => g.Count > 0).ToList();

    /// <summary>Rows: true class; columns: predicted class.</summary>
    public int[,] Confusion =>
        ConfusionTable.Count(ClassNames.Count, Images.Select(i => i.File.Label).ToList(), Images.Select(i => i.Predicted).ToList());

    /// <summary>
    /// The test's run files: predictions.csv, confusion.txt and evaluation.json (overall, per style, per class, the
    /// confusion matrix, and what the model says of its training).
    /// </summary>
    public void Write(RunFolder run, ImageClassifier classifier, string testFolder)
    {
        var overall = Overall;
        run.WriteText("predictions.csv", PredictionsCsv());
        run.WriteText("confusion.txt", ConfusionText());
        new GreekRunFiles(run.Path).WriteEvaluation(new GreekEvaluation(overall.Accuracy, overall.Correct, overall.Count,
            PerStyle.Select(g => new GreekGroup(g.Name, null, g.Correct, g.Count, g.Accuracy)).ToList(),
            PerClass.Select(g => new GreekGroup(null, g.Name, g.Correct, g.Count, g.Accuracy)).ToList())
        {
            Model = classifier.Path, TestFolder = testFolder, Classes = ClassNames, Confusion = EvaluationFile.ToJagged(Confusion),
            TrainedWith = classifier.Metadata.TrainedWith, ModelMetrics = classifier.Metadata.Metrics,
        });
    }

    public static FolderEvaluation Run(ImageClassifier classifier, ImageFolderSet set, Action<int>? progress = null, CancellationToken cancel = default)
    {
        var scored = new List<ScoredImage>(set.Count);
        foreach (var file in set.Files)
        {
            cancel.ThrowIfCancellationRequested();
            byte[] bytes;
            try
            {
                bytes = System.IO.File.ReadAllBytes(file.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ImageFolderException($"cannot read {file.Path}: {e.Message}");
            }
            MLImage input;
            try
            {
                input = classifier.Prepare(bytes, file.Path);
            }
            catch (InvalidImageException e)
            {
                throw new ImageFolderException(e.Message);
            }
            // Read what the model gets before predicting: PredictPrepared disposes the image.
            var gray = ToGray(input);
            var p = classifier.PredictPrepared(input);
            scored.Add(new ScoredImage(file, p.Index, p.Probability, gray));
            progress?.Invoke(scored.Count);
        }
        return new FolderEvaluation(classifier.Classes, scored);
    }

    public string ConfusionText() => ConfusionTable.ToText(ClassNames, Confusion);

    public string PredictionsCsv()
    {
        var sb = new StringBuilder("file,style,label,prediction,confidence,correct\n");
        foreach (var i in Images)
            sb.Append(CultureInfo.InvariantCulture,
                $"{Csv(Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(i.File.Path)!)!, i.File.Path))},{Csv(i.File.Style)},{Csv(ClassNames[i.File.Label])},{Csv(ClassNames[i.Predicted])},{i.Confidence:F4},{(i.Correct ? 1 : 0)}\n");
        return sb.ToString();
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static GroupAccuracy Group(string name, IEnumerable<ScoredImage> images)
    {
        var list = images.ToList();
        return new GroupAccuracy(name, list.Count(i => i.Correct), list.Count);
    }

    /// <summary>The prepared image as the model saw it (its red channel: the image is grey).</summary>
    private static GrayImage ToGray(MLImage image)
    {
        var gray = new GrayImage(image.Width, image.Height);
        var pixels = image.Pixels;
        int channels = pixels.Length / (image.Width * image.Height);
        int red = image.PixelFormat == MLPixelFormat.Rgba32 ? 0 : 2;
        for (int i = 0; i < gray.Pixels.Length; i++) gray.Pixels[i] = channels == 1 ? pixels[i] : pixels[i * channels + red];
        return gray;
    }
}
