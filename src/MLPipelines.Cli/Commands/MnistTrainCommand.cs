using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Training;
using MLPipelines.Training.Evaluation;
using MLPipelines.Training.MLNet;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Data.IO;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp mnist train</c>: trains the digit network, tests it, writes the run folder and the model.</summary>
public static class MnistTrainCommand
{
    /// <summary>
    /// What a training run records about itself in options.json, so that <c>--resume</c> goes on exactly as it started:
    /// the data set (its name, or its folder and class names), and where the model is published (<see cref="ModelOut"/>:
    /// null when it stays in the run folder only).
    /// </summary>
    public sealed record RunOptions(string Dataset, string DataFolder, DigitNetOptions Model, TrainingOptions Training, string CommandLine)
    {
        public string? ModelOut { get; init; }
        public IReadOnlyList<string>? Classes { get; init; }

        public IdxDatasetSpec DatasetSpec() => DatasetAccess.Resolve(Dataset, classNames: Classes);
    }

    public static Command Create()
    {
        var binder = new TrainingOptionsBinder();
        var data = CommonOptions.Data();
        var runs = CommonOptions.Runs();
        var dataset = new DatasetOptions();
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue an interrupted run: its folder or a .ckpt file (no value: the latest unfinished run)",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "RUN|CKPT",
        };
        var modelOut = new Option<string?>("--model-out")
        {
            Description = "Where else to save the trained model .zip (default: models/digits.zip when trained on MNIST; other data sets keep it in the run folder only)",
            HelpName = "PATH",
        };
        var command = new Command("train", "Train the assignment's CNN on MNIST, test it, save it as an ML.NET model")
        {
            data, runs, resume, modelOut,
        };
        dataset.AddTo(command);
        binder.AddTo(command);
        command.WithExamples(
            "mlp mnist train",
            "mlp mnist train --epochs 3 --threads 2 --seed 7",
            "mlp mnist train --recipe tuned --epochs 10",
            "mlp mnist train --kernel-size 4 --dropout 0.3 --batch-size 100",
            "mlp mnist train --dataset ~/my-idx-set --classes a,b,c --model-out models/abc.zip",
            "mlp mnist train --resume                 (continue the run Ctrl+C stopped)");

        command.SetAction(parse =>
        {
            bool resuming = parse.GetResult(resume) is not null;
            string? checkpoint = null;
            RunFolder run;
            RunOptions options;
            if (resuming)
            {
                (run, checkpoint) = FindResumePoint(parse.GetValue(resume), parse.GetValue(runs));
                var state = ReadCheckpoint(checkpoint);
                var saved = ReadRunOptions(run);
                options = saved with { Model = state.Model, Training = state.Training };
                if (parse.GetValue(modelOut) is { } explicitOut) options = options with { ModelOut = Path.GetFullPath(explicitOut) };
                Console.WriteLine($"resuming {run.Path} from {Path.GetFileName(checkpoint)} (epoch {state.Epoch}, batch {state.NextBatch})");
            }
            else
            {
                var training = binder.Bind(parse);
                var spec = dataset.Resolve(parse);
                var model = binder.BindModel(parse, spec.ClassNames.Count);
                var location = DataLocation.Resolve(parse.GetValue(data));
                run = RunFolder.Create(parse.GetValue(runs), $"{spec.Name}-train");
                options = new RunOptions(spec.Reference, "", model, training, "mlp " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)))
                {
                    ModelOut = parse.GetValue(modelOut) is { } given ? Path.GetFullPath(given) : DefaultModelPath(spec),
                    Classes = spec.Location is null ? null : spec.ClassNames,
                };
            }

            return Start(run, options, DataLocation.Resolve(parse.GetValue(data)), checkpoint);
        });
        return command;
    }

    /// <summary>
    /// Trains into <paramref name="run"/> (fetching the data first when missing), tests, and writes the run's files
    /// and the model .zip (in the run folder, and at <see cref="RunOptions.ModelOut"/> when set); from
    /// <paramref name="checkpoint"/> when resuming. Also the digits stage of <c>mlp all</c>.
    /// </summary>
    public static int Start(RunFolder run, RunOptions options, DataLocation location, string? checkpoint = null)
    {
        var dataSpec = options.DatasetSpec();
        string folder = DatasetAccess.Ensure(location, dataSpec, cancel: Interrupt.Token);
        options = options with { DataFolder = folder };
        run.WriteJson("options.json", options);
        Console.WriteLine($"run folder: {run.Path}");
        return Train(run, options, dataSpec, folder, checkpoint, options.ModelOut);
    }

    /// <summary>
    /// Trains through ML.NET: MNIST images as MLImages → resize → grayscale → pixels → the CNN trainer, then saves
    /// the fitted pipeline as a model .zip (with the TorchSharp weights inside) in the run folder and at
    /// <paramref name="modelOut"/>.
    /// </summary>
    private static int Train(RunFolder run, RunOptions options, IdxDatasetSpec spec, string folder, string? checkpoint, string? modelOut)
    {
        var trainImages = Limit(DatasetAccess.Load(spec, folder, DataSplit.Train), options.Training.TrainLimit);
        var testImages = Limit(DatasetAccess.Load(spec, folder, DataSplit.Test), options.Training.TestLimit);
        int threads = TorchRuntime.SetThreads(options.Training.Threads);
        manual_seed(options.Training.Seed);
        using (var probe = new DigitNet(options.Model))
        {
            var summary = ModelSummary.Of(probe, options.Training.BatchSize, 1, trainImages.Height, trainImages.Width);
            Console.WriteLine(summary);
            run.WriteText("summary.txt", summary + "\n");
        }

        var ml = new MLContext(seed: (int)options.Training.Seed);
        var keys = LabeledImageData.LabelToKey(ml, spec.ClassNames);
        var images = ImagePipelines.GrayscalePixels(ml, trainImages.Width, trainImages.Height)
            .Fit(keys.Transform(LabeledImageData.FromImages(ml, testImages.Take(1))));
        var trainView = images.Transform(keys.Transform(LabeledImageData.FromImages(ml, trainImages)));
        var testView = images.Transform(keys.Transform(LabeledImageData.FromImages(ml, testImages)));

        var progress = new TrainingProgress(run);
        string checkpoints = run.Folder("checkpoints");
        var trainer = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainerOptions
        {
            Network = options.Model,
            Training = options.Training,
            ValidationSet = testView,
            CheckpointDirectory = checkpoints,
            ResumeFrom = checkpoint,
            Observer = progress,
            Cancellation = Interrupt.Token,
        });
        double total = (double)options.Training.Epochs * ((trainImages.Count + options.Training.BatchSize - 1) / options.Training.BatchSize);
        CnnModel cnn;
        try
        {
            cnn = ProgressDisplay.Run("train", total, sink =>
            {
                progress.Sink = sink;
                return trainer.Fit(trainView);
            });
        }
        catch (OperationCanceledException) when (Interrupt.Token.IsCancellationRequested)
        {
            string last = Path.Combine(checkpoints, "last" + Checkpoint.Extension);
            var s = Checkpoint.ReadState(last);
            WriteCurves(run, s.History);
            Console.WriteLine($"interrupted at epoch {s.Epoch}, batch {s.NextBatch}; checkpoint {last}");
            Console.WriteLine($"continue with: mlp mnist train --resume {run.Path}");
            run.Log("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (InvalidDataException e)
        {
            throw new UserError(e.Message);
        }

        using (cnn)
        {
            WriteCurves(run, cnn.State.History);
            using var test = new TensorDataset(testImages, Normalization.Mnist);
            var evaluation = Evaluator.Evaluate(cnn.Network, test, options.Training.TestBatchSize, keepOutputs: 10);
            var times = cnn.State.History.Test.Where(t => t.Epoch > 0).Select(t => t.EpochSeconds).ToList();
            Report(evaluation, times, threads);
            WriteEvaluation(run, evaluation, cnn.State, threads);

            // The saved pipeline, scored end to end by ML.NET on the same test set.
            var model = images.Append(cnn);
            double mlnetAccuracy = ModelAccuracy(model.Transform(testView), testImages);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ML.NET model (ImageAnalytics + ONNX) test accuracy: {mlnetAccuracy:P2}"));
            var metadata = new ModelMetadata
            {
                Kind = spec == KnownDatasets.Mnist ? "digits" : spec.Name,
                Classes = spec.ClassNames,
                Width = trainImages.Width,
                Height = trainImages.Height,
                Preprocessing = spec == KnownDatasets.Mnist ? "mnist-style" : ImagePreprocessors.None,
                Description = $"The assignment's CNN trained on {spec.Name} ({options.Training.Epochs} epochs, seed {options.Training.Seed})",
                TrainedWith = options.CommandLine,
                Metrics = new Dictionary<string, double> { ["test_accuracy"] = evaluation.Accuracy, ["mlnet_test_accuracy"] = mlnetAccuracy },
            };
            ModelPackage.Save(ml, model, run.File("model.zip"), metadata, TorchWeights.Entries(cnn.Network));
            string saved = ModelFiles.Publish(run, modelOut);
            run.Log($"done: test accuracy {evaluation.Accuracy:P2}, ML.NET model {mlnetAccuracy:P2}, saved {saved}");
        }
        return ExitCodes.Ok;
    }

    private static LabeledImages Limit(LabeledImages images, int limit) => limit > 0 ? images.Take(limit) : images;

    /// <summary>Accuracy of a scored IDataView's PredictedLabel against the images' labels, row by row.</summary>
    private static double ModelAccuracy(IDataView scored, LabeledImages images)
    {
        var predicted = scored.GetColumn<string>(ModelSchema.PredictedLabel).ToList();
        int correct = predicted.Where((p, i) => p == images.ClassNames[images.Labels[i]]).Count();
        return (double)correct / images.Count;
    }

    public static void Report(EvaluationResult e, IReadOnlyList<double> epochSeconds, int threads)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Test set: average loss {e.Loss:F4}, accuracy {e.Correct}/{e.Count} ({e.Accuracy:P2})"));
        if (epochSeconds.Count > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Training: {epochSeconds.Count} epochs, {epochSeconds.Sum():F1} s ({epochSeconds.Average():F2} s/epoch, {threads} threads)"));
        Console.WriteLine("Per-class accuracy: " + string.Join("  ", e.PerClassAccuracy.Select((a, c) =>
            string.Create(CultureInfo.InvariantCulture, $"{e.ClassNames[c]}:{a:P1}"))));
        Console.WriteLine("Confusion matrix:");
        Console.Write(e.ConfusionText());
        Console.WriteLine($"First {e.FirstOutputs.Length} test examples (outputs, index of the largest, correct label):");
        Console.Write(e.FirstOutputsText());
    }

    public static void WriteEvaluation(RunFolder run, EvaluationResult e, CheckpointState? state, int threads)
    {
        run.WriteJson("evaluation.json", new
        {
            accuracy = e.Accuracy,
            correct = e.Correct,
            count = e.Count,
            loss = e.Loss,
            classes = e.ClassNames,
            per_class_accuracy = e.PerClassAccuracy,
            confusion = ToJagged(e.Confusion),
            epochs = state?.History.Test.Count(t => t.Epoch > 0),
            train_seconds = state?.TrainSeconds,
            threads,
        });
        run.WriteText("first_outputs.txt", e.FirstOutputsText());
        run.WriteText("confusion.txt", e.ConfusionText());
        run.WriteText("predictions.csv", "index,label,prediction,confidence\n" + string.Concat(Enumerable.Range(0, e.Count)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{e.Labels[i]},{e.Predictions[i]},{e.Confidences[i]:F6}\n"))));
    }

    public static void WriteCurves(RunFolder run, TrainingHistory history)
    {
        run.WriteText("train_loss.csv", history.TrainCsv());
        run.WriteText("test_metrics.csv", history.TestCsv());
    }

    /// <summary>The shared default model (models/digits.zip) for a run on MNIST; null for any other data set, whose model stays in its run folder.</summary>
    public static string? DefaultModelPath(IdxDatasetSpec spec) =>
        spec == KnownDatasets.Mnist ? Path.Combine(ModelFiles.DefaultFolder, "digits.zip") : null;

    private static int[][] ToJagged(int[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(r => Enumerable.Range(0, m.GetLength(1)).Select(c => m[r, c]).ToArray()).ToArray();

    private static CheckpointState ReadCheckpoint(string path)
    {
        try
        {
            return Checkpoint.ReadState(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            throw new UserError($"{path}: not a usable checkpoint ({e.Message})");
        }
    }

    private static RunOptions ReadRunOptions(RunFolder run)
    {
        string path = run.File("options.json");
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<RunOptions>(File.ReadAllText(path))
                   ?? throw new UserError($"{path} is empty");
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            throw new UserError($"{path}: cannot read the run's options ({e.Message})");
        }
    }

    /// <summary>The run folder and checkpoint to resume: a .ckpt file, a run folder, or the latest unfinished run.</summary>
    private static (RunFolder Run, string Checkpoint) FindResumePoint(string? target, string? runsRoot)
    {
        if (target is not null && File.Exists(target) && target.EndsWith(Checkpoint.Extension, StringComparison.Ordinal))
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(target))!;
            string runDir = Path.GetFileName(dir) == "checkpoints" ? Path.GetDirectoryName(dir)! : dir;
            return (RunFolder.Open(runDir), Path.GetFullPath(target));
        }
        if (target is not null)
        {
            var run = RunFolder.Open(target);
            string last = Path.Combine(run.Path, "checkpoints", "last" + Checkpoint.Extension);
            if (!File.Exists(last)) throw new UserError($"{target} has no checkpoint to resume from (no checkpoints/last.ckpt)");
            return (run, last);
        }
        string root = string.IsNullOrWhiteSpace(runsRoot) ? RunFolder.DefaultRoot : runsRoot;
        IEnumerable<string> candidates = Directory.Exists(root) ? Directory.GetDirectories(root).OrderByDescending(d => d, StringComparer.Ordinal) : [];
        foreach (string dir in candidates)
        {
            string last = Path.Combine(dir, "checkpoints", "last" + Checkpoint.Extension);
            if (!File.Exists(last) || !File.Exists(Path.Combine(dir, "options.json"))) continue;
            if (!ReadCheckpoint(last).Finished) return (RunFolder.Open(dir), last);
        }
        throw new UserError($"no unfinished training run with a checkpoint under {root}");
    }
}
