using MLPipelines.Core.Runs;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Evaluation;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Figures;
using MLPipelines.Animals.Heads;
using MLPipelines.Animals.Model;
using MLPipelines.Animals.Training;
using MLPipelines.Cli.Cli;
using MLPipelines.Prediction;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp animals train</c>: transfer learning from the frozen ImageNet ResNet18. Features are computed once
/// (batched ONNX Runtime, cached), every head asked for is trained and compared on them, and the chosen head is
/// saved with the backbone as one ML.NET model (model.zip) that the project's prediction API loads.
/// </summary>
public static class AnimalsTrainCommand
{
    public static Command Create()
    {
        var shared = new AnimalsShared();
        var heads = new Option<string>("--heads")
        {
            Description = $"Heads to train and compare, comma-separated ({string.Join(", ", HeadCatalog.Names)})",
            DefaultValueFactory = _ => string.Join(',', HeadCatalog.Names),
        };
        var save = new Option<string?>("--save") { Description = "The head saved in model.zip (default: the first of --heads)", HelpName = "HEAD" };
        var augment = new Option<string>("--augment")
        {
            Description = "Extra views of the training photos: none, mirror, or full (mirror, zoom 0.8, both)",
            DefaultValueFactory = _ => "full",
        };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of the MLP head", DefaultValueFactory = _ => new MlpHeadOptions().Epochs };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate of the MLP head", DefaultValueFactory = _ => new MlpHeadOptions().LearningRate };
        var dropout = new Option<double>("--dropout") { Description = "Dropout of the MLP head", DefaultValueFactory = _ => new MlpHeadOptions().Dropout };
        var command = new Command("train", "Train heads on the frozen ResNet18's features, compare them, save the chosen one as model.zip")
        {
            shared.Dataset, shared.Data, shared.Runs, heads, save, augment, epochs, lr, dropout,
        };
        shared.AddSplitOptions(command);
        shared.AddBackboneOptions(command);
        command.WithExamples(
            "mlp animals train hymenoptera",
            "mlp animals train animals10 --heads lbfgs,mlp --save mlp",
            "mlp animals train animals10 --heads lbfgs --augment none --threads 2 --batch-size 32",
            "mlp animals train ~/photos/birds --test-fraction 0.2 --seed 3",
            "mlp animals train hymenoptera --precision int8   (the ResNet18 quantized to INT8, calibrated on the training photos)",
            "mlp animals train animals10 --gpu 0            (CUDA if ONNX Runtime has it, else the CPU, saying why)");

        command.SetAction(parse =>
        {
            var headNames = parse.GetValue(heads)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => n.ToLowerInvariant()).Distinct().ToList();
            var options = new AnimalsTrainingOptions
            {
                Dataset = parse.GetValue(shared.Dataset)!, Data = parse.GetValue(shared.Data), Heads = headNames,
                Save = parse.GetValue(save) ?? headNames.FirstOrDefault() ?? "", Augment = parse.GetValue(augment)!,
                Seed = (int)parse.GetValue(shared.Seed), Fractions = shared.Fractions(parse), Backbone = shared.Backbone(parse),
                Precision = shared.PrecisionOf(parse),
                Mlp = new MlpHeadOptions { Epochs = parse.GetValue(epochs), LearningRate = parse.GetValue(lr), Dropout = parse.GetValue(dropout) },
                CacheFolder = shared.CacheFolder(parse), CommandLine = "mlp " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            Guard(options.Validate);
            var set = AnimalsShared.LoadSet(options.Dataset, options.Data);
            var splits = StratifiedSplitter.Assign(set, options.Fractions, options.Seed);
            Guard(() => AnimalsTrainingOptions.CheckSplits(set, splits));
            var run = RunFolder.Create(parse.GetValue(shared.Runs), $"animals-train-{set.Name}");
            return Train(run, options, set, splits);
        });
        return command;
    }

    /// <summary>Trains into <paramref name="run"/> (<see cref="AnimalsTraining"/>), showing its progress. Also a stage of <c>mlp all</c>.</summary>
    public static int Train(RunFolder run, AnimalsTrainingOptions options, PhotoSet set, Split[] splits)
    {
        Console.WriteLine($"run folder: {run.Path}");
        var result = ProgressDisplay.Run("animals", progress => AnimalsTraining.Run(options, set, splits, run, progress, Interrupt.Token));
        return result.Completed ? ExitCodes.Ok : ExitCodes.Interrupted;
    }

    private static void Guard(Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
    }
}
