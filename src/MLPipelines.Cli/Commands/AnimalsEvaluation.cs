using MLPipelines.Core.Runs;
using System.Globalization;
using System.Text;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Evaluation;
using MLPipelines.Animals.Figures;
using MLPipelines.Cli.Cli;

namespace MLPipelines.Cli.Commands;

/// <summary>What <c>mlp animals train</c> and <c>test</c> write about a model on a split: metrics, tables, figures.</summary>
public static class AnimalsEvaluation
{
    public static void Write(RunFolder run, PhotoSet set, IReadOnlyList<int> photos, ClassificationReport r, string splitName, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"accuracy {r.Accuracy:P2} ({r.Correct}/{r.Count}), macro-F1 {r.MacroF1:F3}, log-loss {r.LogLoss:F3}"));
        Console.Write(r.PerClassText());
        Console.WriteLine("confusion matrix (rows: true class, columns: predicted):");
        Console.Write(r.ConfusionText());

        run.WriteText("per_class.txt", r.PerClassText());
        run.WriteText("confusion.txt", r.ConfusionText());
        var csv = new StringBuilder("path,label,prediction,confidence\n");
        for (int k = 0; k < r.Count; k++)
            csv.Append(inv, $"\"{set.Photos[photos[k]].Path.Replace("\"", "\"\"")}\",{r.ClassNames[r.Labels[k]]},{r.ClassNames[r.Predictions[k]]},{r.Confidences[k]:F6}\n");
        run.WriteText("predictions.csv", csv.ToString());
        var m = r.Confusion;
        run.WriteJson("evaluation.json", new
        {
            split = splitName, accuracy = r.Accuracy, correct = r.Correct, count = r.Count, macro_f1 = r.MacroF1, log_loss = r.LogLoss,
            classes = r.ClassNames, per_class = r.PerClass,
            confusion = Enumerable.Range(0, r.ClassNames.Count).Select(i => Enumerable.Range(0, r.ClassNames.Count).Select(j => m[i, j]).ToArray()).ToArray(),
        });

        // A fixed sample (every k-th photo, so all classes show) with predicted vs true labels.
        int shown = Math.Min(24, r.Count);
        var sample = Enumerable.Range(0, shown).Select(j => j * r.Count / shown).ToList();
        PhotoGrid.Write(run.File($"{splitName}_predictions.png"), sample.Select(k => Cell(set, photos, r, k)).ToList(), 6,
            string.Create(inv, $"{title}: {splitName} photos, predicted (true); accuracy {r.Accuracy:P1}"));
        var mistakes = r.MostConfidentMistakes(12);
        if (mistakes.Count > 0)
            PhotoGrid.Write(run.File("confident_mistakes.png"), mistakes.Select(k => Cell(set, photos, r, k)).ToList(), 6,
                $"{title}: the most confident mistakes on the {splitName} split");
        Console.WriteLine($"figures: {splitName}_predictions.png" + (mistakes.Count > 0 ? ", confident_mistakes.png" : " (no mistakes to show)"));
    }

    private static PhotoCell Cell(PhotoSet set, IReadOnlyList<int> photos, ClassificationReport r, int k)
    {
        bool right = r.Predictions[k] == r.Labels[k];
        string caption = right ? r.ClassNames[r.Predictions[k]] : $"{r.ClassNames[r.Predictions[k]]} ({r.ClassNames[r.Labels[k]]})";
        return new PhotoCell(set.Photos[photos[k]].Path, caption, string.Create(CultureInfo.InvariantCulture, $"p={r.Confidences[k]:F2} {Path.GetFileName(set.Photos[photos[k]].Path)}"),
            right ? PhotoGrid.Right : PhotoGrid.Wrong);
    }
}
