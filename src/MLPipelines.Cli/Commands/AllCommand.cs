using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Stages;
using MLPipelines.Data;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp all</c>: every stage of the assignment the data allows, into one run folder, then the report.
/// A stage whose data is missing is skipped with a line that says how to provide it.
/// </summary>
public static class AllCommand
{
    public static Command Create()
    {
        var stages = StageRegistry.All();
        var binder = new TrainingOptionsBinder();
        var data = CommonOptions.Data();
        var runs = CommonOptions.Runs();
        var dataset = new DatasetOptions();
        var skip = new Option<string[]>("--skip")
        {
            Description = $"Stages to leave out ({string.Join(", ", stages.Select(s => s.Name))})",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "STAGE",
        };
        var command = new Command("all", "Run every stage of the assignment the data allows into one run folder, then write its report")
        {
            data, runs, skip,
        };
        dataset.AddTo(command);
        binder.AddTo(command);
        foreach (var option in stages.SelectMany(s => s.Options)) command.Add(option);
        command.WithExamples(
            "mlp all",
            "mlp all --epochs 3 --seed 7 --data ../shared/data",
            "mlp all --epochs 1 --train-limit 6000 --test-limit 2000     (a quick look)",
            "mlp all --skip examine",
            "mlp all --dataset ~/my-idx-set --classes a,b,c     (any MNIST-layout data set)");

        command.SetAction(parse =>
        {
            string[] skipped = parse.GetValue(skip) ?? [];
            foreach (string name in skipped)
                if (stages.All(s => s.Name != name))
                    throw new UserError($"unknown stage '{name}' in --skip (stages: {string.Join(", ", stages.Select(s => s.Name))})");
            var training = binder.Bind(parse);
            var spec = dataset.Resolve(parse);
            var model = binder.BindModel(parse, spec.ClassNames.Count);
            var context = new StageContext
            {
                Dataset = spec,
                Run = RunFolder.Create(parse.GetValue(runs), "all"),
                Data = DataLocation.Resolve(parse.GetValue(data)),
                Parse = parse,
                Training = training,
                Model = model,
                CommandLine = CommandLineOf(parse),
            };
            return Run(context, stages, skipped);
        });
        return command;
    }

    public static int Run(StageContext context, IReadOnlyList<IStage> stages, IReadOnlyCollection<string> skipped)
    {
        var clock = Stopwatch.StartNew();
        var log = new StageLog
        {
            Command = context.CommandLine,
            Started = DateTime.Now,
            Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
        };
        Console.WriteLine($"mlp all: run folder {context.Run.Path}, data {context.Data.Root} ({context.Data.Source})");
        context.Run.Log($"all: {context.CommandLine}");
        bool failed = false, interrupted = false;
        foreach (var stage in stages)
        {
            StageRecord record;
            if (skipped.Contains(stage.Name))
            {
                record = Skip(stage, "left out by --skip");
            }
            else if (interrupted)
            {
                record = Skip(stage, "not run: Ctrl+C stopped an earlier stage");
            }
            else if (!stage.CanRun(context, out string reason))
            {
                record = Skip(stage, reason);
            }
            else
            {
                if (reason.Length > 0) Console.WriteLine($"{stage.Name}: {reason}");
                record = RunStage(stage, context);
                failed |= record.Status == StageStatus.Failed;
                interrupted |= record.Status == StageStatus.Interrupted;
            }
            log.Stages.Add(record);
            context.Run.Log($"stage {record.Name}: {record.Status.ToString().ToLowerInvariant()} {record.Seconds:F1} s {record.Detail}".TrimEnd());
            (log with { TotalSeconds = clock.Elapsed.TotalSeconds }).Write(context.Run.Path);
        }

        Console.WriteLine();
        Console.WriteLine("== report ==");
        // The page shows the stages' total; writing it takes a second more, which the last console line includes.
        log = log with { TotalSeconds = clock.Elapsed.TotalSeconds };
        log.Write(context.Run.Path);
        var result = ReportCommand.Write(context.Run.Path, context.Data, context.Training.Threads);

        Console.WriteLine();
        foreach (var s in log.Stages)
            Console.WriteLine($"  {s.Name,-12} {s.Status.ToString().ToLowerInvariant(),-12} {(s.Status == StageStatus.Skipped ? "" : ProgressDisplay.Format(TimeSpan.FromSeconds(s.Seconds)))}");
        Console.WriteLine($"mlp all: {ProgressDisplay.Format(clock.Elapsed)} in total; open {result.Path}");
        if (interrupted) Console.WriteLine($"after resuming what was stopped, 'mlp report {context.Run.Path}' makes the missing figures and the page");
        context.Run.Log($"all: done in {clock.Elapsed.TotalSeconds:F1} s");
        return interrupted ? ExitCodes.Interrupted : failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>The command as typed (from the parsed tokens, so it is right in-process too), quoted where needed.</summary>
    public static string CommandLineOf(ParseResult parse) =>
        "mlp " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') || t.Value.Length == 0 ? $"'{t.Value}'" : t.Value));

    private static StageRecord Skip(IStage stage, string reason)
    {
        Console.WriteLine($"{stage.Name}: skipped — {reason}");
        return new StageRecord(stage.Name, StageStatus.Skipped, 0, Detail: reason);
    }

    private static StageRecord RunStage(IStage stage, StageContext context)
    {
        Console.WriteLine();
        Console.WriteLine($"== {stage.Name}: {stage.Description} ==");
        var clock = Stopwatch.StartNew();
        StageStatus status;
        string? detail = null;
        try
        {
            status = stage.Run(context);
        }
        catch (OperationCanceledException)
        {
            status = StageStatus.Interrupted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One stage's failure does not stop the others; later stages check what they need.
            status = StageStatus.Failed;
            detail = e.Message.ReplaceLineEndings(" ").Trim();
            Console.Error.WriteLine($"error: stage {stage.Name} failed: {detail}");
            if (Environment.GetEnvironmentVariable("MLP_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(e);
        }
        if (status == StageStatus.Interrupted) detail = "stopped by Ctrl+C";
        string? folder = Directory.Exists(context.Run.File(stage.Folder)) ? stage.Folder : null;
        Console.WriteLine($"{stage.Name}: {status.ToString().ToLowerInvariant()} in {ProgressDisplay.Format(clock.Elapsed)}");
        return new StageRecord(stage.Name, status, clock.Elapsed.TotalSeconds, folder, detail);
    }
}
