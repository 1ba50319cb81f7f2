using MLPipelines.Reporting.Figures;
using MLPipelines.Core.Runs;
using MLPipelines.Prediction.Evaluation;
using MLPipelines.Core.Datasets;
using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Prediction;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Training.Transfer;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp greek test</c>: a letter model on a folder-per-class test set, through ImageClassifier (the project's
/// prediction API): accuracy overall, per style (file prefix) and per class, confusion matrix, and a grid
/// of the letters with their predictions.
/// </summary>
public static class GreekTestCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string?>("model")
        {
            Description = "A letter model .zip or the run folder that made it (default: models/greek.zip)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var data = CommonOptions.Data();
        var runs = CommonOptions.Runs();
        var test = new Option<string?>("--test") { Description = "Folder-per-class test images (default: DATA/greek/test)", HelpName = "DIR" };
        var command = new Command("test", "Test a Greek-letter model: accuracy per style and class, confusion matrix, grid of predictions")
        {
            modelArg, data, runs, test,
        };
        command.WithExamples(
            "mlp greek test",
            "mlp greek test runs/20261125-150000-greek-train",
            "mlp greek test models/greek.zip --test my-letters/");
        command.SetAction(parse =>
        {
            string model = ResolveModel(parse.GetValue(modelArg));
            string folder = GreekShared.SplitFolder(parse.GetValue(test), parse.GetValue(data), "test");
            var run = RunFolder.Create(parse.GetValue(runs), "greek-test");
            Console.WriteLine($"run folder: {run.Path}");
            return Test(run, model, folder);
        });
        return command;
    }

    /// <summary>A model .zip, or a run folder's model.zip.</summary>
    public static string ResolveModel(string? argument)
    {
        string path = argument ?? GreekShared.DefaultModel;
        if (Directory.Exists(path)) path = Path.Combine(path, "model.zip");
        if (!File.Exists(path))
            throw new UserError(argument is null
                ? $"letter model not found: {path} (train one with 'mlp greek train', or name the model)"
                : $"model not found: {path}");
        return Path.GetFullPath(path);
    }

    /// <summary>Tests <paramref name="model"/> on <paramref name="folder"/>, writing the results into <paramref name="run"/>. Also used by <c>mlp all</c>.</summary>
    public static int Test(RunFolder run, string model, string folder)
    {
        ImageClassifier classifier;
        try
        {
            classifier = ImageClassifier.Load(model);
        }
        catch (Exception e) when (e is InvalidModelException or ArgumentException)
        {
            throw new UserError(e.Message);
        }
        using var _ = classifier;
        var set = GreekShared.Scan(folder, classifier.Classes, run);
        Console.WriteLine($"model: {model} ({classifier.Metadata.Kind}: {string.Join(", ", classifier.Classes)}; preprocessing {classifier.Metadata.Preprocessing})");
        Console.WriteLine($"test letters: {set.Count} from {set.Root}");

        FolderEvaluation evaluation;
        try
        {
            evaluation = ProgressDisplay.Run("test", set.Count, sink =>
                FolderEvaluation.Run(classifier, set, done => sink.Report(done), Interrupt.Token));
        }
        catch (ImageFolderException e)
        {
            throw new UserError(e.Message);
        }
        catch (OperationCanceledException) when (Interrupt.Token.IsCancellationRequested)
        {
            run.Log("interrupted");
            Console.WriteLine("interrupted");
            return ExitCodes.Interrupted;
        }

        var overall = evaluation.Overall;
        Console.WriteLine();
        Console.WriteLine($"Test accuracy: {overall.Correct}/{overall.Count} ({GreekShared.Percent(overall.Accuracy)})");
        Console.WriteLine("Per style:  " + string.Join("   ", evaluation.PerStyle));
        Console.WriteLine("Per class:  " + string.Join("   ", evaluation.PerClass));
        Console.WriteLine("Confusion matrix (rows: true class, columns: predicted):");
        Console.Write(evaluation.ConfusionText());
        var wrong = evaluation.Images.Where(i => !i.Correct).ToList();
        if (wrong.Count > 0)
            Console.WriteLine("Wrong: " + string.Join(", ", wrong.Select(i =>
                $"{Path.GetFileName(i.File.Path)} ({evaluation.ClassNames[i.File.Label]} → {evaluation.ClassNames[i.Predicted]} {GreekShared.Percent(i.Confidence)})")));

        evaluation.Write(run, classifier, set.Root);
        LetterFigures.LetterGrid(run.File("test_letters.png"),
            evaluation.Images.Select(i => new LetterTile(i.File.Style, i.File.Path, i.Input,
                i.Correct ? $"{evaluation.ClassNames[i.Predicted]} ({LetterFigures.Percent(i.Confidence)})"
                          : $"{evaluation.ClassNames[i.Predicted]} ({LetterFigures.Percent(i.Confidence)}) is {evaluation.ClassNames[i.File.Label]}",
                !i.Correct)).ToList(),
            "Test letters and the model's predictions",
            $"{overall.Correct} of {overall.Count} right ({GreekShared.Percent(overall.Accuracy)}); caption: prediction (probability); corner: the network's 28x28 input",
            (style, members) => $"{style}: {members.Count(m => !m.Miss)} of {members.Count} right");
        run.Log($"done: accuracy {overall.Correct}/{overall.Count}; " + string.Join("; ", evaluation.PerStyle));
        Console.WriteLine($"results: {run.Path} (predictions.csv, evaluation.json, test_letters.png)");
        return ExitCodes.Ok;
    }
}
