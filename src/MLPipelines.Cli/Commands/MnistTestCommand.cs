using MLPipelines.Core.Runs;
using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Training;
using MLPipelines.Training.Evaluation;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp mnist test</c>: accuracy, per-class accuracy, confusion matrix and the assignment's printout.</summary>
public static class MnistTestCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model")
        {
            Description = "A trained model: a model .zip, a run folder, or a checkpoint (.ckpt)",
        };
        var data = CommonOptions.Data();
        var runs = CommonOptions.Runs();
        var threads = CommonOptions.Threads();
        var dataset = new DatasetOptions();
        var show = new Option<int>("--show") { Description = "Print the outputs of the first N test examples", DefaultValueFactory = _ => 10 };
        var command = new Command("test", "Test a trained digit network on the MNIST test set")
        {
            modelArg, data, runs, threads, show,
        };
        dataset.AddTo(command);
        command.WithExamples(
            "mlp mnist test models/digits.zip",
            "mlp mnist test runs/20261125-140000-mnist-train",
            "mlp mnist test runs/20261125-140000-mnist-train/checkpoints/epoch-03.ckpt --show 20",
            "mlp mnist test runs/<run> --dataset ~/my-idx-set      (a data set given as a folder)");
        command.SetAction(parse =>
        {
            var spec = dataset.Resolve(parse);
            var location = DataLocation.Resolve(parse.GetValue(data));
            string folder = DataFiles.Ensure(location, spec, Interrupt.Token);
            IdxDatasetLoader.Load(spec, folder, DataSplit.Test);   // the test split verifies, as a one-line error

            var (model, path) = ModelFiles.LoadDigitNet(parse.GetValue(modelArg)!);
            using var _ = model;
            if (model.Options.Classes != spec.ClassNames.Count)
                throw new UserError($"{path} has {model.Options.Classes} outputs but {spec.Name} has {spec.ClassNames.Count} classes");
            var run = RunFolder.Create(parse.GetValue(runs), $"{spec.Name}-test");
            int n = TorchRuntime.SetThreads(parse.GetValue(threads));
            var evaluation = Training.Digits.DigitTraining.Test(model, spec, folder, run, n, parse.GetValue(show));
            Console.Write(evaluation.ReportText([], n));
            run.WriteJson("options.json", new { model = path, dataset = spec.Reference, data = folder });
            Console.WriteLine($"run folder: {run.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
