using MLPipelines.Reporting.Figures;
using MLPipelines.Core.Runs;
using MLPipelines.Core.Datasets;
using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.IO;
using MLPipelines.Models;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;
using MLPipelines.Training.Transfer;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp greek train</c>: the assignment's transfer learning. Loads the digit model, freezes it, replaces its last
/// layer with one output per letter class and trains that layer on the folder-per-class letters; saves an ML.NET
/// model that <c>mlp greek test</c>, <c>mlp predict</c> and any app using ImageClassifier load like the digit model.
/// </summary>
public static class GreekTrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var runs = CommonOptions.Runs();
        var train = new Option<string?>("--train") { Description = "Folder-per-class training images (default: DATA/greek/train)", HelpName = "DIR" };
        var digits = new Option<string?>("--digits")
        {
            Description = "The trained digit network to start from: a model .zip, a checkpoint or an 'mlp mnist train' run folder (default: models/digits.zip)",
            HelpName = "MODEL",
        };
        var model = new Option<string?>("--model-out")
        {
            Description = "Where else to save the letter model .zip (default: models/greek.zip when trained on DATA/greek/train; any other letters keep it in the run folder only)",
            HelpName = "PATH",
        };
        var d = TransferOptions.DefaultTraining;
        var epochs = new Option<int>("--epochs") { Description = $"Passes over the training letters (default {d.Epochs})", DefaultValueFactory = _ => d.Epochs };
        var lr = new Option<double>("--lr") { Description = $"SGD learning rate (default {d.LearningRate.ToString(CultureInfo.InvariantCulture)})", DefaultValueFactory = _ => d.LearningRate };
        var momentum = new Option<double>("--momentum") { Description = $"SGD momentum (default {d.Momentum.ToString(CultureInfo.InvariantCulture)})", DefaultValueFactory = _ => d.Momentum };
        var batch = new Option<int>("--batch-size") { Description = $"Training batch size (default {d.BatchSize})", DefaultValueFactory = _ => d.BatchSize };
        var stop = new Option<bool>("--stop-when-learned") { Description = "Stop after the first epoch at which every training image is classified right" };
        var fineTune = new Option<string>("--fine-tune")
        {
            Description = "Digit layers that train too: none (the assignment's: all frozen), fc1, or all",
            DefaultValueFactory = _ => "none",
        };
        fineTune.AcceptOnlyFromAmong("none", "fc1", "all");
        var augment = new Option<int>("--augment") { Description = "Add N random variants (turned, scaled, sheared, moved) of each training image", DefaultValueFactory = _ => 0 };
        var seed = CommonOptions.Seed();
        // One thread: a batch of 5 letters is too small to share, and spinning threads lose to other work on a busy machine.
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core)", DefaultValueFactory = _ => 1 };
        var command = new Command("train", "Transfer learning: train a new last layer of the frozen digit network on Greek letters")
        {
            data, runs, train, digits, model, epochs, lr, momentum, batch, stop, fineTune, augment, seed, threads,
        };
        command.WithExamples(
            "mlp greek train",
            "mlp greek train --epochs 50 --stop-when-learned --seed 3",
            "mlp greek train --train my-letters/ --digits runs/20261125-140000-mnist-train/model.zip --model-out models/letters.zip",
            "mlp greek train --augment 20 --fine-tune fc1      (more than the frozen features: augmented letters, fc1 learns too)");

        command.SetAction(parse =>
        {
            var training = d with
            {
                Epochs = parse.GetValue(epochs),
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                StopAtAccuracy = parse.GetValue(stop) ? 1 : 0,
            };
            var transfer = new TransferOptions
            {
                Training = training,
                FineTune = Enum.Parse<FineTuneLayers>(parse.GetValue(fineTune)!, ignoreCase: true),
                AugmentCopies = parse.GetValue(augment),
            };
            try
            {
                transfer.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UserError(e.Message);
            }
            string trainFolder = GreekShared.SplitFolder(parse.GetValue(train), parse.GetValue(data), "train");
            string digitModel = Path.GetFullPath(parse.GetValue(digits) ?? GreekShared.DefaultDigits);
            if (!File.Exists(digitModel) && !Directory.Exists(digitModel))
                throw new UserError($"digit model not found: {digitModel} (make it with 'mlp mnist train', or give --digits MODEL)");
            // The shared models/greek.zip is the model of the default letters: other letters (another class set) never replace it.
            bool defaultLetters = parse.GetValue(train) is null || trainFolder == GreekShared.SplitFolder(DataLocation.Resolve(parse.GetValue(data)), "train");
            string? modelOut = parse.GetValue(model) is { } given ? Path.GetFullPath(given) : defaultLetters ? GreekShared.DefaultModel : null;
            var run = RunFolder.Create(parse.GetValue(runs), "greek-train");
            var options = new TransferRunOptions(trainFolder, digitModel, transfer, modelOut, "mlp " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            Console.WriteLine($"run folder: {run.Path}");
            return Train(run, options);
        });
        return command;
    }

    /// <summary>
    /// Trains (<see cref="TransferRun"/>), draws the training curve and the letters (<see cref="LetterFigures"/>),
    /// publishes the model at <see cref="TransferRunOptions.ModelOut"/>. Also used by <c>mlp all</c>.
    /// </summary>
    public static int Train(RunFolder run, TransferRunOptions options)
    {
        TransferRunResult? result;
        try
        {
            result = ProgressDisplay.Run("greek", progress => TransferRun.Run(options, run, progress, Interrupt.Token));
        }
        catch (Exception e) when (e is ImageFolderException or InvalidDataException or FileNotFoundException or ArgumentException)
        {
            throw new UserError(e.Message);
        }
        if (result is null)
        {
            Console.WriteLine("interrupted: no model saved (training the letters takes seconds; run it again)");
            return ExitCodes.Interrupted;
        }
        var history = result.History;
        LetterFigures.TrainingCurve(run.File("training_curve.png"), history.Train.Select(p => (p.Epoch, p.Loss)).ToList(),
            history.Test.Select(p => (p.Epoch, p.Loss, p.Accuracy)).ToList(), $"Greek letters: training loss and accuracy ({TransferRun.Describe(options.Transfer)})");
        var set = result.Set;
        LetterFigures.LetterGrid(run.File("training_letters.png"),
            set.Files.Select((f, i) => new LetterTile(set.ClassNames[f.Label], f.Path, result.Letters.Images[i], Path.GetFileNameWithoutExtension(f.Path), false)).ToList(),
            $"The {set.Count} training letters", "corner: the 28x28 image the network learns from", (name, members) => $"{name}: {members.Count}");
        string published = ModelFiles.Publish(run, options.ModelOut);
        run.Log($"published {published}");
        string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), published);
        Console.WriteLine($"test it: mlp greek test {(shown.StartsWith("..", StringComparison.Ordinal) ? published : shown)}");
        return ExitCodes.Ok;
    }
}
