using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Training;
using MLPipelines.Training.Digits;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp mnist train</c>: trains the digit network (<see cref="DigitTraining"/>), prints its test, publishes the model.</summary>
public static class MnistTrainCommand
{
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
            var location = DataLocation.Resolve(parse.GetValue(data));
            if (parse.GetResult(resume) is not null)
            {
                string root = string.IsNullOrWhiteSpace(parse.GetValue(runs)) ? RunFolder.DefaultRoot : parse.GetValue(runs)!;
                var (run, checkpoint) = DigitTraining.FindResumePoint(parse.GetValue(resume), root)
                    ?? throw new UserError(parse.GetValue(resume) is { } target
                        ? $"{target} has no checkpoint to resume from (no checkpoints/last.ckpt)"
                        : $"no unfinished training run with a checkpoint under {root}");
                var state = ReadCheckpoint(checkpoint);
                var saved = Guard(() => DigitTraining.ReadOptions(run), run.File("options.json"));
                var options = saved with { Model = state.Model, Training = state.Training };
                if (parse.GetValue(modelOut) is { } explicitOut) options = options with { ModelOut = Path.GetFullPath(explicitOut) };
                Console.WriteLine($"resuming {run.Path} from {Path.GetFileName(checkpoint)} (epoch {state.Epoch}, batch {state.NextBatch})");
                return Start(run, options, location, checkpoint);
            }
            var training = binder.Bind(parse);
            var spec = dataset.Resolve(parse);
            var model = binder.BindModel(parse, spec.ClassNames.Count);
            var fresh = RunFolder.Create(parse.GetValue(runs), $"{spec.Name}-train");
            return Start(fresh, new DigitTrainingOptions
            {
                Dataset = spec.Reference,
                Classes = spec.Location is null ? null : spec.ClassNames,
                Model = model,
                Training = training,
                ModelOut = parse.GetValue(modelOut) is { } given ? Path.GetFullPath(given) : DefaultModelPath(spec),
                CommandLine = "mlp " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            }, location);
        });
        return command;
    }

    /// <summary>
    /// Fetches the data when missing, trains into <paramref name="run"/> (from <paramref name="checkpoint"/> when resuming),
    /// prints the test and publishes the model at <see cref="DigitTrainingOptions.ModelOut"/>. Also the digits stage of <c>mlp all</c>.
    /// </summary>
    public static int Start(RunFolder run, DigitTrainingOptions options, DataLocation location, string? checkpoint = null)
    {
        var spec = IdxDatasetResolver.Resolve(options.Dataset, options.Classes);
        options = options with { DataFolder = DataFiles.Ensure(location, spec, Interrupt.Token) };
        Console.WriteLine($"run folder: {run.Path}");
        var result = Guard(() => ProgressDisplay.Run("train", progress => DigitTraining.Run(options, run, checkpoint, progress, Interrupt.Token)), run.Path);
        if (!result.Completed)
        {
            Console.WriteLine($"interrupted at epoch {result.State.Epoch}, batch {result.State.NextBatch}; checkpoint {result.Checkpoint}");
            Console.WriteLine($"continue with: mlp mnist train --resume {run.Path}");
            return ExitCodes.Interrupted;
        }
        Console.Write(result.Evaluation!.ReportText(result.EpochSeconds, result.Threads));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ML.NET model (ImageAnalytics + ONNX) test accuracy: {result.MlNetAccuracy:P2}"));
        string saved = ModelFiles.Publish(run, options.ModelOut);
        run.Log($"published {saved}");
        return ExitCodes.Ok;
    }

    /// <summary>The shared default model (models/digits.zip) for a run on MNIST; null for any other data set, whose model stays in its run folder.</summary>
    public static string? DefaultModelPath(IdxDatasetSpec spec) =>
        spec == KnownDatasets.Mnist ? Path.Combine(ModelFiles.DefaultFolder, "digits.zip") : null;

    private static CheckpointState ReadCheckpoint(string path) =>
        Guard(() => Checkpoint.ReadState(path), path, "not a usable checkpoint");

    /// <summary>Library errors about the user's files as one-line user errors.</summary>
    private static T Guard<T>(Func<T> work, string what, string problem = "cannot be used")
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or Data.Idx.IdxFormatException or FileNotFoundException)
        {
            throw new UserError(e.Message.StartsWith(what, StringComparison.Ordinal) ? e.Message : $"{what}: {problem} ({e.Message})");
        }
    }
}
