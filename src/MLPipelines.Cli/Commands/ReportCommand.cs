using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Reporting.Examine;
using MLPipelines.Data;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp report RUN</c>: one self-contained HTML page of a run's figures, tables, commands and timings.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runArg = new Argument<string>("run") { Description = "A run folder of 'mlp all' or 'mlp mnist train'" };
        var output = new Option<string?>("--output") { Description = "Where to write the page (default: RUN/report.html)", HelpName = "FILE" };
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var command = new Command("report", "Write the run's report: one HTML page with every figure embedded, that opens offline")
        {
            runArg, output, data, threads,
        };
        command.WithExamples(
            "mlp report runs/20261125-150000-all",
            "mlp report runs/20261125-140000-mnist-train --output /tmp/digits.html");
        command.SetAction(parse =>
        {
            var run = RunFolder.Open(parse.GetValue(runArg)!);
            var result = Write(run.Path, DataLocation.Resolve(parse.GetValue(data)), parse.GetValue(threads), parse.GetValue(output));
            return result.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Makes the digit figures first when they are missing, then writes the page and says where it is.</summary>
    public static ReportResult Write(string runFolder, DataLocation data, int threads, string? output = null)
    {
        var context = new ReportContext(runFolder);
        var sections = ReportSections.Discover(typeof(ReportCommand).Assembly);
        if (!context.HasResults && !Sweeps.Auto.AutoRunFiles.IsAutoRun(context.RunFolder))
            throw new UserError($"{runFolder} holds no results to report (no evaluation.json, digits/, stages.json or auto.json): make them with 'mlp all', 'mlp mnist train' or 'mlp auto train'");
        if (context.Digits is { } digits && FigureFiles.Examine.Any(f => !File.Exists(digits.Figure(f)) && f != FigureFiles.ConfidentMistakes))
        {
            Console.WriteLine($"figures missing; making them first (mlp examine {digits.Folder}):");
            ExamineCommand.MakeFigures(digits, data, threads);
        }
        ReportResult result;
        try
        {
            result = ReportWriter.Write(context, sections, output);
        }
        catch (RunFileException e)
        {
            throw new UserError(e.Message);
        }
        foreach (string problem in result.Problems) Console.Error.WriteLine($"warning: {problem}");
        Console.WriteLine($"report: {result.Path} ({result.Sections.Count} sections, {result.Images} figures, {new FileInfo(result.Path).Length / 1024} KB)");
        return result;
    }
}
