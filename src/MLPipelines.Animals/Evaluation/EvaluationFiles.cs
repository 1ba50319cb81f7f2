using System.Globalization;
using System.Text;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Figures;
using MLPipelines.Animals.Report;
using MLPipelines.Core.Runs;
using MLPipelines.Prediction;

namespace MLPipelines.Animals.Evaluation;

/// <summary>What a model's results on a split leave in a run folder (train and test alike): metrics, tables, figures.</summary>
public static class EvaluationFiles
{
    /// <summary>
    /// Writes per_class.txt, confusion.txt, predictions.csv, evaluation.json, SPLIT_predictions.png and
    /// confident_mistakes.png; returns the text to show (accuracy, per-class table, confusion matrix, figures written).
    /// </summary>
    public static string Write(RunFolder run, PhotoSet set, IReadOnlyList<int> photos, ClassificationReport r, string splitName, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"accuracy {r.Accuracy:P2} ({r.Correct}/{r.Count}), macro-F1 {r.MacroF1:F3}, log-loss {r.LogLoss:F3}\n");
        text.Append(r.PerClassText()).Append("confusion matrix (rows: true class, columns: predicted):\n").Append(r.ConfusionText());

        run.WriteText("per_class.txt", r.PerClassText());
        run.WriteText("confusion.txt", r.ConfusionText());
        var csv = new StringBuilder("path,label,prediction,confidence\n");
        for (int k = 0; k < r.Count; k++)
            csv.Append(inv, $"\"{set.Photos[photos[k]].Path.Replace("\"", "\"\"")}\",{r.ClassNames[r.Labels[k]]},{r.ClassNames[r.Predictions[k]]},{r.Confidences[k]:F6}\n");
        run.WriteText("predictions.csv", csv.ToString());
        new AnimalsRunFiles(run.Path).WriteEvaluation(new AnimalEvaluation(splitName, r.Accuracy, r.Correct, r.Count, r.MacroF1, r.LogLoss,
            r.ClassNames, r.PerClass, EvaluationFile.ToJagged(r.Confusion)));

        // A fixed sample (every k-th photo, so all classes show) with predicted vs true labels.
        int shown = Math.Min(24, r.Count);
        var sample = Enumerable.Range(0, shown).Select(j => j * r.Count / shown).ToList();
        PhotoGrid.Write(run.File($"{splitName}_predictions.png"), sample.Select(k => Cell(set, photos, r, k)).ToList(), 6,
            string.Create(inv, $"{title}: {splitName} photos, predicted (true); accuracy {r.Accuracy:P1}"));
        var mistakes = r.MostConfidentMistakes(12);
        if (mistakes.Count > 0)
            PhotoGrid.Write(run.File("confident_mistakes.png"), mistakes.Select(k => Cell(set, photos, r, k)).ToList(), 6,
                $"{title}: the most confident mistakes on the {splitName} split");
        text.Append($"figures: {splitName}_predictions.png" + (mistakes.Count > 0 ? ", confident_mistakes.png" : " (no mistakes to show)"));
        return text.ToString();
    }

    /// <summary>
    /// Class probabilities (in the model's class order) of image files through <see cref="ImageClassifier"/>, one
    /// ML.NET pass for the lot; null for a file that cannot be read or decoded.
    /// </summary>
    public static float[]?[] Probabilities(ImageClassifier classifier, IReadOnlyList<string> files)
    {
        var bytes = files.Select(f =>
        {
            try
            {
                return File.ReadAllBytes(f);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return [];
            }
        }).ToList();
        return classifier.PredictBatch(bytes).Select(r => r.Prediction?.Scores.Select(s => s.Probability).ToArray()).ToArray();
    }

    private static PhotoCell Cell(PhotoSet set, IReadOnlyList<int> photos, ClassificationReport r, int k)
    {
        bool right = r.Predictions[k] == r.Labels[k];
        string caption = right ? r.ClassNames[r.Predictions[k]] : $"{r.ClassNames[r.Predictions[k]]} ({r.ClassNames[r.Labels[k]]})";
        return new PhotoCell(set.Photos[photos[k]].Path, caption, string.Create(CultureInfo.InvariantCulture, $"p={r.Confidences[k]:F2} {Path.GetFileName(set.Photos[photos[k]].Path)}"),
            right ? PhotoGrid.Right : PhotoGrid.Wrong);
    }
}
