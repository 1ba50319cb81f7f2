using MLPipelines.Core.Imaging;
using System.Diagnostics;
using System.Text.Json;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Reporting.Figures;
using MLPipelines.Reporting.Imaging;
using MLPipelines.Core.Runs;
using MLPipelines.Training;
using static TorchSharp.torch;

namespace MLPipelines.Cli.Examine;

/// <summary>
/// Makes the figures of a digit training run from its files, its model and the data it was trained on, into
/// RUN/figures: 1 training digits, 2 network summary, 3 loss curves, 4 test predictions, 7 filters,
/// 8 filter effects, 9 confusion matrix and most confident mistakes (5 is the run's first_outputs.txt;
/// 6, people's handwriting, is the handwritten stage's).
/// </summary>
public static class DigitExaminer
{
    public const int MistakesShown = 12;

    /// <returns>The figure files written.</returns>
    public static IReadOnlyList<string> Run(DigitRunFiles run, DataLocation location, int threads)
    {
        var clock = Stopwatch.StartNew();
        var options = DigitRuns.Read(run.Options);
        var evaluation = DigitRuns.Read(run.Evaluation);
        var predictions = DigitRuns.Read(run.Predictions);
        var (spec, folder) = DataOf(options, location);
        var train = DatasetAccess.Load(spec, folder, DataSplit.Train);
        var test = DatasetAccess.Load(spec, folder, DataSplit.Test);
        if (predictions.Any(p => p.Index < 0 || p.Index >= test.Count))
            throw new UserError($"{run.File("predictions.csv")} names test images beyond the {test.Count} in {folder}");

        TorchRuntime.SetThreads(threads);
        using var model = ModelFiles.LoadDigitNet(run.Folder).Network;
        Directory.CreateDirectory(run.FiguresFolder);
        var written = new List<string>();
        void Made(string file)
        {
            written.Add(run.Figure(file));
            Console.WriteLine($"  {file}");
        }

        TrainingDigitsFigure.Save(run.Figure(FigureFiles.TrainingDigits), Enumerable.Range(0, Math.Min(6, train.Count))
            .Select(i => new LabeledDigit(Image(train, i), train.ClassNames[train.Labels[i]])).ToList());
        Made(FigureFiles.TrainingDigits);

        var summary = Summary(model, TrainingInt(options, "BatchSize", 64), train);
        AtomicJson(run.Figure(FigureFiles.NetworkSummaryJson), summary);
        NetworkSummaryFigure.Save(run.Figure(FigureFiles.NetworkSummary), summary);
        Made(FigureFiles.NetworkSummary);

        var trainLoss = DigitRuns.Read(run.TrainLoss);
        var testLoss = DigitRuns.Read(run.TestMetrics);
        LossCurveFigure.Save(run.Figure(FigureFiles.LossCurves),
            trainLoss.Select(p => (p.ExamplesSeen, p.Loss)).ToList(), testLoss.Select(p => (p.ExamplesSeen, p.Loss)).ToList(),
            TrainingInt(options, "LogInterval", 10));
        Made(FigureFiles.LossCurves);

        TestPredictionsFigure.Save(run.Figure(FigureFiles.TestPredictions), predictions.Take(9)
            .Select(p => Predicted(test, p)).ToList());
        Made(FigureFiles.TestPredictions);

        var filters = Filters(model);
        AtomicJson(run.Figure(FigureFiles.FiltersJson), filters);
        FilterHeatmapsFigure.Save(run.Figure(FigureFiles.Filters), filters.Matrices());
        Made(FigureFiles.Filters);

        // The digit as the network sees it (normalized); the display scales each picture to its own range anyway.
        var first = Image(train, 0);
        var normalized = new GrayImage(first.Width, first.Height,
            first.Pixels.Select(p => (p / 255f - Normalization.Mnist.Mean) / Normalization.Mnist.Std).ToArray());
        FilterEffectsFigure.Save(run.Figure(FigureFiles.FilterEffects), normalized, filters.Matrices());
        Made(FigureFiles.FilterEffects);

        ConfusionMatrixFigure.Save(run.Figure(FigureFiles.ConfusionMatrix), DigitRuns.Read(evaluation.ConfusionMatrix),
            evaluation.Classes, evaluation.Accuracy);
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
            Console.WriteLine("  no mistakes on the test set: no mistakes figure");
        }
        Console.WriteLine($"figures of {run.Folder} made in {clock.Elapsed.TotalSeconds:F1} s");
        return written;
    }

    private static (IdxDatasetSpec Spec, string Folder) DataOf(JsonElement options, DataLocation location)
    {
        string name = options.TryGetProperty("Dataset", out var d) ? d.GetString() ?? "mnist" : "mnist";
        var classes = options.TryGetProperty("Classes", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : null;
        var spec = DatasetAccess.Resolve(name, classNames: classes);
        // The folder the run was trained from when it is still there, else the usual data location.
        if (options.TryGetProperty("DataFolder", out var f) && f.GetString() is { Length: > 0 } trained && IdxDatasetLoader.IsComplete(spec, trained))
            return (spec, trained);
        return (spec, DatasetAccess.Ensure(location, spec, cancel: Interrupt.Token));
    }

    private static int TrainingInt(JsonElement options, string name, int fallback) =>
        options.TryGetProperty("Training", out var t) && t.TryGetProperty(name, out var v) && v.TryGetInt32(out int n) ? n : fallback;

    private static GrayImage Image(LabeledImages images, int index) => GrayImage.FromBytes(images.Width, images.Height, images.Image(index));

    private static LabeledDigit Predicted(LabeledImages test, PredictionRow p) =>
        new(Image(test, p.Index), test.ClassNames[p.Label], test.ClassNames[p.Prediction], p.Confidence);

    public static NetworkSummaryData Summary(DigitNet model, int batchSize, LabeledImages images)
    {
        var s = ModelSummary.Of(model, batchSize, 1, images.Height, images.Width);
        return new NetworkSummaryData(s.ModelName, ModelSummary.Shape([batchSize, 1, images.Height, images.Width]), ModelSummary.Shape(s.OutputShape),
            s.Layers.Select(l => new NetworkLayer(l.Name, l.Type, ModelSummary.Shape(l.OutputShape), l.Parameters, l.Trainable)).ToList(),
            s.TotalParameters, s.TrainableParameters, s.NonTrainableParameters);
    }

    public static FilterWeights Filters(DigitNet model)
    {
        using var _ = no_grad();
        var weight = model.Conv1.weight!;
        int count = (int)weight.shape[0], size = (int)weight.shape[2];
        if (weight.shape[1] != 1 || weight.shape[3] != size)
            throw new UserError($"conv1 weights of shape [{string.Join(", ", weight.shape)}] are not square single-channel filters");
        float[] w = weight.contiguous().data<float>().ToArray();
        float[] bias = model.Conv1.bias is { } b ? b.data<float>().ToArray() : new float[count];
        return FilterWeights.From("conv1", w, count, size, bias);
    }

    private static void AtomicJson<T>(string path, T value) =>
        Data.IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, RunFiles.Json));
}
