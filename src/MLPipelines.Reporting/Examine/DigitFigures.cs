using System.Text.Json;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.IO;
using MLPipelines.Reporting.Figures;

namespace MLPipelines.Reporting.Examine;

/// <summary>
/// The figures of a digit training run, into RUN/figures: 1 training digits, 2 network summary, 3 loss curves,
/// 4 test predictions, 7 filters, 8 filter effects, 9 confusion matrix and most confident mistakes (5 is the run's
/// first_outputs.txt; 6, people's handwriting, is <see cref="HandwrittenFigures"/>'). Problems with the run's files
/// are <see cref="RunFileException"/>s.
/// </summary>
public static class DigitFigures
{
    public const int MistakesShown = 12;

    /// <summary>The data set the run was trained on (options.json), and its folder when that still holds it.</summary>
    public static (IdxDatasetSpec Spec, string? TrainedFolder) DatasetOf(DigitRunFiles run)
    {
        var options = run.Options();
        string name = options.TryGetProperty("Dataset", out var d) ? d.GetString() ?? "mnist" : "mnist";
        var classes = options.TryGetProperty("Classes", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : null;
        var spec = IdxDatasetResolver.Resolve(name, classes);
        string? trained = options.TryGetProperty("DataFolder", out var f) && f.GetString() is { Length: > 0 } folder && IdxDatasetLoader.IsComplete(spec, folder)
            ? folder : null;
        return (spec, trained);
    }

    /// <summary>The batch size the run trained with (the network summary's input shape).</summary>
    public static int BatchSize(DigitRunFiles run) => TrainingInt(run.Options(), "BatchSize", 64);

    /// <returns>The figure files written.</returns>
    public static IReadOnlyList<string> Make(DigitRunFiles run, DigitFigureInputs inputs, IProgress<WorkProgress>? progress = null)
    {
        var options = run.Options();
        var evaluation = run.Evaluation();
        var predictions = run.Predictions();
        var (train, test) = (inputs.Train, inputs.Test);
        if (predictions.Any(p => p.Index < 0 || p.Index >= test.Count))
            throw new RunFileException($"{run.File("predictions.csv")} names test images beyond the {test.Count} of the test set");

        Directory.CreateDirectory(run.FiguresFolder);
        var written = new List<string>();
        void Made(string file)
        {
            written.Add(run.Figure(file));
            progress?.Report(WorkProgress.Line($"  {file}"));
        }

        TrainingDigitsFigure.Save(run.Figure(FigureFiles.TrainingDigits), Enumerable.Range(0, Math.Min(6, train.Count))
            .Select(i => new LabeledDigit(Image(train, i), train.ClassNames[train.Labels[i]])).ToList());
        Made(FigureFiles.TrainingDigits);

        AtomicJson(run.Figure(FigureFiles.NetworkSummaryJson), inputs.Summary);
        NetworkSummaryFigure.Save(run.Figure(FigureFiles.NetworkSummary), inputs.Summary);
        Made(FigureFiles.NetworkSummary);

        LossCurveFigure.Save(run.Figure(FigureFiles.LossCurves),
            run.TrainLoss().Select(p => (p.ExamplesSeen, p.Loss)).ToList(), run.TestMetrics().Select(p => (p.ExamplesSeen, p.Loss)).ToList(),
            TrainingInt(options, "LogInterval", 10));
        Made(FigureFiles.LossCurves);

        TestPredictionsFigure.Save(run.Figure(FigureFiles.TestPredictions), predictions.Take(9).Select(p => Predicted(test, p)).ToList());
        Made(FigureFiles.TestPredictions);

        AtomicJson(run.Figure(FigureFiles.FiltersJson), inputs.Filters);
        FilterHeatmapsFigure.Save(run.Figure(FigureFiles.Filters), inputs.Filters.Matrices());
        Made(FigureFiles.Filters);

        // The digit as the network sees it (normalized); the display scales each picture to its own range anyway.
        var first = Image(train, 0);
        var normalized = new GrayImage(first.Width, first.Height,
            first.Pixels.Select(p => (p / 255f - Normalization.Mnist.Mean) / Normalization.Mnist.Std).ToArray());
        FilterEffectsFigure.Save(run.Figure(FigureFiles.FilterEffects), normalized, inputs.Filters.Matrices());
        Made(FigureFiles.FilterEffects);

        ConfusionMatrixFigure.Save(run.Figure(FigureFiles.ConfusionMatrix), evaluation.ConfusionMatrix(), evaluation.Classes, evaluation.Accuracy);
        Made(FigureFiles.ConfusionMatrix);

        var mistakes = predictions.Where(p => !p.Correct).OrderByDescending(p => p.Confidence).ThenBy(p => p.Index).ToList();
        if (mistakes.Count > 0)
        {
            ConfidentMistakesFigure.Save(run.Figure(FigureFiles.ConfidentMistakes),
                mistakes.Take(MistakesShown).Select(p => Predicted(test, p)).ToList(), mistakes.Count);
            Made(FigureFiles.ConfidentMistakes);
        }
        else
        {
            File.Delete(run.Figure(FigureFiles.ConfidentMistakes));
            progress?.Report(WorkProgress.Line("  no mistakes on the test set: no mistakes figure"));
        }
        return written;
    }

    private static int TrainingInt(JsonElement options, string name, int fallback) =>
        options.TryGetProperty("Training", out var t) && t.TryGetProperty(name, out var v) && v.TryGetInt32(out int n) ? n : fallback;

    private static GrayImage Image(LabeledImages images, int index) => GrayImage.FromBytes(images.Width, images.Height, images.Image(index));

    private static LabeledDigit Predicted(LabeledImages test, PredictionRow p) =>
        new(Image(test, p.Index), test.ClassNames[p.Label], test.ClassNames[p.Prediction], p.Confidence);

    private static void AtomicJson<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, RunFiles.Json));
}
