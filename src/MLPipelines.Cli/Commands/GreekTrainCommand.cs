using MLPipelines.Core.Runs;
using MLPipelines.Core.Datasets;
using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
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
    /// <summary>What the run records in options.json. <see cref="ModelOut"/>: where the model is published besides the run folder (null: nowhere).</summary>
    public sealed record RunOptions(string TrainFolder, string DigitModel, TransferOptions Transfer, string? ModelOut, string CommandLine);

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
            var options = new RunOptions(trainFolder, digitModel, transfer, modelOut, "mlp " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            run.WriteJson("options.json", options);
            Console.WriteLine($"run folder: {run.Path}");
            return Train(run, options);
        });
        return command;
    }

    /// <summary>The whole stage: letters → frozen network → new layer trained → figures, summaries, model. Also used by <c>mlp all</c>.</summary>
    public static int Train(RunFolder run, RunOptions options)
    {
        var set = GreekShared.Scan(options.TrainFolder, null, run);
        var preprocessor = new GreekLetterPreprocessor();
        PreparedImages letters;
        try
        {
            letters = PreparedImages.Prepare(set, preprocessor, Interrupt.Token);
        }
        catch (ImageFolderException e)
        {
            throw new UserError(e.Message);
        }
        Console.WriteLine($"training letters: {set.Count} in {set.ClassNames.Count} classes ({string.Join(", ", set.ClassNames.Select(c => $"{c} {set.Files.Count(f => set.ClassNames[f.Label] == c)}"))}) from {set.Root}");

        var (digits, digitsPath) = ModelFiles.LoadDigitNet(options.DigitModel);
        using var _ = digits;
        if (digits.Options.InputSize != GreekLetterPreprocessor.Size)
            throw new UserError($"{digitsPath}: the network takes {digits.Options.InputSize}x{digits.Options.InputSize} images, the letters are {GreekLetterPreprocessor.Size}x{GreekLetterPreprocessor.Size}");

        var (before, after) = TransferTrainer.Summaries(digits, options.Transfer, set.ClassNames.Count);
        Console.WriteLine("The frozen digit network:");
        Console.WriteLine(before);
        Console.WriteLine($"With a new last layer of {set.ClassNames.Count} outputs ({string.Join(", ", set.ClassNames)}){(options.Transfer.FineTune == FineTuneLayers.None ? "" : $", fine-tuning {options.Transfer.FineTune.ToString().ToLowerInvariant()}")}:");
        Console.WriteLine(after);

        var o = options.Transfer.Training;
        var ml = new MLContext(seed: unchecked((int)o.Seed));
        int trainCount = set.Count * (options.Transfer.AugmentCopies + 1);
        int batches = (trainCount + o.BatchSize - 1) / o.BatchSize;
        var progress = new GreekTrainingProgress(run, set.Count);
        TransferResult result;
        try
        {
            result = ProgressDisplay.Run("greek", (double)o.Epochs * batches, sink =>
            {
                progress.Sink = sink;
                return TransferTrainer.Train(ml, digits, letters, options.Transfer, progress, Interrupt.Token);
            });
        }
        catch (OperationCanceledException) when (Interrupt.Token.IsCancellationRequested)
        {
            Console.WriteLine("interrupted: no model saved (training the letters takes seconds; run it again)");
            run.Log("interrupted");
            return ExitCodes.Interrupted;
        }

        using (result)
        {
            run.WriteText("summary_before.txt", before + "\n");
            run.WriteText("summary_after.txt", after + "\n");
            var state = result.Model.State;
            var history = result.History;
            var last = history.Test[^1];
            int epochsRun = history.Test.Count(t => t.Epoch > 0);
            run.WriteText("train_loss.csv", history.TrainCsv());
            run.WriteText("train_metrics.csv", EpochCsv(history));
            GreekFigures.TrainingCurve(run.File("training_curve.png"), history,
                $"Greek letters: training loss and accuracy ({Describe(options.Transfer)})");
            GreekFigures.LetterGrid(run.File("training_letters.png"),
                set.Files.Select((f, i) => new LetterTile(set.ClassNames[f.Label], f.Path, letters.Images[i], Path.GetFileNameWithoutExtension(f.Path), false)).ToList(),
                $"The {set.Count} training letters", "corner: the 28x28 image the network learns from", (name, members) => $"{name}: {members.Count}");

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {epochsRun} epochs{(state.StoppedEarly ? " (stopped early: the training set is learned)" : "")} in {state.TrainSeconds:F1} s on {result.TrainCount} images; training accuracy {GreekShared.Percent(last.Accuracy)}, loss {last.Loss:F4}"));
            Console.WriteLine($"frozen weights unchanged: {result.FrozenUnchanged.Count} tensors bit-identical to the digit network's ({string.Join(", ", result.FrozenUnchanged)})");

            var metadata = new ModelMetadata
            {
                Kind = "greek-letters",
                Classes = result.ClassNames,
                Width = GreekLetterPreprocessor.Size,
                Height = GreekLetterPreprocessor.Size,
                Preprocessing = GreekLetterPreprocessor.PreprocessorName,
                Description = $"The digit network with a new last layer for {string.Join(", ", result.ClassNames)} ({Describe(options.Transfer)}; {epochsRun} epochs, seed {o.Seed})",
                TrainedWith = options.CommandLine,
                Metrics = new Dictionary<string, double> { ["train_accuracy"] = last.Accuracy, ["train_loss"] = last.Loss, ["epochs"] = epochsRun, ["train_seconds"] = state.TrainSeconds },
            };
            TransferTrainer.Save(ml, result, run.File("model.zip"), metadata);
            string published = ModelFiles.Publish(run, options.ModelOut);
            run.WriteJson("training.json", new
            {
                classes = result.ClassNames,
                train_images = set.Count,
                trained_on = result.TrainCount,
                fine_tune = options.Transfer.FineTune.ToString().ToLowerInvariant(),
                augment = options.Transfer.AugmentCopies,
                epochs = epochsRun,
                stopped_early = state.StoppedEarly,
                train_seconds = state.TrainSeconds,
                train_accuracy = last.Accuracy,
                train_loss = last.Loss,
                parameters = new { before = Counts(result.Before), after = Counts(result.After) },
                frozen_unchanged = result.FrozenUnchanged,
                threads = TorchRuntime.SetThreads(o.Threads),
                digit_model = digitsPath,
                model = published,
            });
            run.Log($"done: {epochsRun} epochs, {state.TrainSeconds:F1} s, training accuracy {last.Accuracy:P1}, saved {published}");
            string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), published);
            Console.WriteLine($"test it: mlp greek test {(shown.StartsWith("..", StringComparison.Ordinal) ? published : shown)}");
        }
        return ExitCodes.Ok;
    }

    public static string Describe(TransferOptions o) =>
        (o.FineTune == FineTuneLayers.None ? "frozen features" : $"fine-tuning {o.FineTune.ToString().ToLowerInvariant()}")
        + (o.AugmentCopies > 0 ? $", {o.AugmentCopies} augmented copies" : "");

    private static object Counts(ModelSummary s) => new { total = s.TotalParameters, trainable = s.TrainableParameters, non_trainable = s.NonTrainableParameters };

    /// <summary>Per epoch: the mean batch loss while training, then the training set's loss and accuracy after the epoch.</summary>
    private static string EpochCsv(TrainingHistory history)
    {
        var batchMeans = history.Train.GroupBy(p => p.Epoch).ToDictionary(g => g.Key, g => g.Average(p => p.Loss));
        var sb = new System.Text.StringBuilder("epoch,mean_batch_loss,train_loss,train_accuracy,epoch_seconds\n");
        foreach (var t in history.Test)
            sb.Append(CultureInfo.InvariantCulture,
                $"{t.Epoch},{(batchMeans.TryGetValue(t.Epoch, out double m) ? m.ToString("R", CultureInfo.InvariantCulture) : "")},{t.Loss:R},{t.Accuracy:R},{t.EpochSeconds:F3}\n");
        return sb.ToString();
    }
}
