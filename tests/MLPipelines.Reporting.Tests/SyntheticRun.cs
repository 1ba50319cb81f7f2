using System.Text.Json;
using MLPipelines.Reporting.Figures;
using MLPipelines.Core.Runs;

namespace MLPipelines.Reporting.Tests;

/// <summary>A digit run folder with the files the trainer and examine write, made up (no training, no data).</summary>
public static class SyntheticRun
{
    public static DigitRunFiles Write(string folder, bool figures = true)
    {
        Directory.CreateDirectory(folder);
        var run = new DigitRunFiles(folder);
        File.WriteAllText(run.File("options.json"), """
            {"Dataset":"mnist","DataFolder":"/data/mnist","Model":{"KernelSize":5},
             "Training":{"Epochs":3,"BatchSize":64,"LearningRate":0.01,"LogInterval":10},"CommandLine":"mlp mnist train --epochs 3"}
            """);
        var confusion = Synthetic.Confusion();
        int count = confusion.Cast<int>().Sum(), correct = Enumerable.Range(0, 10).Sum(i => confusion[i, i]);
        File.WriteAllText(run.File("evaluation.json"), JsonSerializer.Serialize(new
        {
            accuracy = (double)correct / count, correct, count, loss = 0.05,
            classes = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray(),
            per_class_accuracy = Enumerable.Range(0, 10).Select(i => 0.95 + i * 0.003).ToArray(),
            confusion = Enumerable.Range(0, 10).Select(r => Enumerable.Range(0, 10).Select(c => confusion[r, c]).ToArray()).ToArray(),
            epochs = 3, train_seconds = 21.5, threads = 2,
        }));
        File.WriteAllText(run.File("train_loss.csv"), DigitRunFiles.TrainLossHeader + "\n" +
            string.Concat(Enumerable.Range(0, 30).Select(i => $"{i * 640},1,{i * 10},{2.3 - i * 0.07}\n")));
        File.WriteAllText(run.File("test_metrics.csv"), DigitRunFiles.TestMetricsHeader + "\n" +
            "0,0,2.30,0.10,0.000\n60000,1,0.20,0.94,7.100\n120000,2,0.10,0.97,7.200\n180000,3,0.08,0.975,7.200\n");
        File.WriteAllText(run.File("predictions.csv"), DigitRunFiles.PredictionsHeader + "\n" +
            string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{i % 10},{(i == 7 ? 1 : i % 10)},0.9{i % 10}\n")));
        File.WriteAllText(run.File("first_outputs.txt"), "[-0.01, -5.20, ...]  max index 0  correct label 0\n");
        if (figures) WriteFigures(run);
        return run;
    }

    public static void WriteFigures(DigitRunFiles run)
    {
        Directory.CreateDirectory(run.FiguresFolder);
        var filters = Enumerable.Range(0, 10).Select(Synthetic.Filter).ToList();
        var (train, test) = Synthetic.Curves();
        TrainingDigitsFigure.Save(run.Figure(FigureFiles.TrainingDigits), Synthetic.Digits(6));
        NetworkSummaryFigure.Save(run.Figure(FigureFiles.NetworkSummary), Synthetic.Network());
        File.WriteAllText(run.Figure(FigureFiles.NetworkSummaryJson), JsonSerializer.Serialize(Synthetic.Network(), RunFiles.Json));
        LossCurveFigure.Save(run.Figure(FigureFiles.LossCurves), train, test, 10);
        TestPredictionsFigure.Save(run.Figure(FigureFiles.TestPredictions), Synthetic.Digits(9, i => (i % 10).ToString()));
        FilterHeatmapsFigure.Save(run.Figure(FigureFiles.Filters), filters);
        File.WriteAllText(run.Figure(FigureFiles.FiltersJson), JsonSerializer.Serialize(Synthetic.Weights(), RunFiles.Json));
        FilterEffectsFigure.Save(run.Figure(FigureFiles.FilterEffects), Synthetic.Digit(0), filters);
        ConfusionMatrixFigure.Save(run.Figure(FigureFiles.ConfusionMatrix), Synthetic.Confusion(), Enumerable.Range(0, 10).Select(i => i.ToString()).ToList(), 0.97);
        ConfidentMistakesFigure.Save(run.Figure(FigureFiles.ConfidentMistakes), Synthetic.Digits(3, i => ((i + 1) % 10).ToString()), 3);
    }
}
