using MLPipelines.Core.Runs;
using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Commands;

namespace MLPipelines.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        MLPipelines.Models.OpenMpWaiting.Apply(); // before anything loads libtorch
        var root = BuildRoot();
        CommandExamples.Install(root);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            Console.Error.WriteLine($"error: {ParseErrors.Friendly(parse.Errors[0].Message)} (see 'mlp {CommandPath(parse)} --help')");
            return ExitCodes.Usage;
        }
        Interrupt.Install();
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("mlp: train, examine, tune and ship image classifiers with TorchSharp and ML.NET");
        root.Add(DataCommand.Create());
        root.Add(new Command("mnist", "The digit network on MNIST") { MnistTrainCommand.Create(), MnistTestCommand.Create() });
        root.Add(PredictCommand.Create());
        root.Add(ScoreCommand.Create());
        root.Add(ServeCommand.Create());
        root.Add(new Command("bench", "Benchmarks (print figures)")
        {
            BenchTrainCommand.Create(), BenchScoreCommand.Create(), BenchServeCommand.Create(), BenchTunersCommand.Create(),
        });
        root.Add(new Command("export", "Export trained models for other runtimes") { ExportOnnxCommand.Create() });
        root.Add(new Command("model", "Manage model files") { ModelUpgradeCommand.Create() });
        root.Add(SweepCommand.Create());
        root.Add(new Command("auto", "AutoML: the best model for an image folder within a time budget") { AutoTrainCommand.Create() });
        root.Add(new Command("animals", "Transfer learning on animal photos from an ImageNet-pretrained ResNet18 (ONNX, through ML.NET)")
        {
            AnimalsExploreCommand.Create(), AnimalsTrainCommand.Create(), AnimalsTestCommand.Create(), AnimalsBenchCommand.Create(),
        });
        root.Add(new Command("greek", "Transfer learning: Greek letters from the frozen digit network") { GreekTrainCommand.Create(), GreekTestCommand.Create() });
        root.Add(AllCommand.Create());
        root.Add(ExamineCommand.Create());
        root.Add(ReportCommand.Create());
        return root;
    }

    /// <summary>One line for the user; the stack trace only when MLP_DEBUG is set.</summary>
    private static int Fail(Exception e)
    {
        RunFolder.DiscardEmptyRuns();
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is not null)
            e = e.InnerException!;
        if (e is OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted");
            return ExitCodes.Interrupted;
        }
        Console.Error.WriteLine($"error: {OneLine(e.Message)}");
        if (Environment.GetEnvironmentVariable("MLP_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(e);
        return ExitCodes.Failed;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }
}
