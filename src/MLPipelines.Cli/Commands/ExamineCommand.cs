using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Reporting.Examine;
using MLPipelines.Data;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp examine RUN</c>: the figures of a digit training run (data, network, curves, predictions, filters, mistakes).</summary>
public static class ExamineCommand
{
    public static Command Create()
    {
        var runArg = new Argument<string>("run") { Description = "A run folder of 'mlp mnist train', or of 'mlp all' (its digits/ is examined)" };
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var command = new Command("examine", "Make the figures of a trained digit network into RUN/figures (PNG), people's handwriting included when DATA/handwritten-digits is there") { runArg, data, threads };
        command.WithExamples(
            "mlp examine runs/20261125-140000-mnist-train",
            "mlp examine runs/20261125-150000-all --data ../shared/data");
        command.SetAction(parse =>
        {
            var run = RunFigures.Find(parse.GetValue(runArg)!);
            Console.WriteLine($"figures of {run.Folder}:");
            int count = MakeFigures(run, DataLocation.Resolve(parse.GetValue(data)), parse.GetValue(threads));
            Console.WriteLine($"{count} figures in {run.FiguresFolder}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Every figure of a digit run: the network's, and people's handwriting when its data and the model .zip are there.</summary>
    public static int MakeFigures(DigitRunFiles run, DataLocation location, int threads)
    {
        int count = RunFigures.Digits(run, location, threads).Count;
        if (HandwrittenFigures.WhyNot(run, location) is { } why)
        {
            Console.WriteLine($"figure 6 (handwritten digits) skipped — {why}");
            return count;
        }
        RunFigures.Handwritten(run, location);
        return count + 1;
    }
}
