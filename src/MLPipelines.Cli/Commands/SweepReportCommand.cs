using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Reporting;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp sweep report</c>: the per-factor table, charts, best trial and hypothesis checks of a study.</summary>
public static class SweepReportCommand
{
    public static Command Create()
    {
        var study = SweepSetup.Study();
        var storage = SweepSetup.Storage();
        var outDir = SweepSetup.Out();
        var to = new Option<string?>("--to") { Description = "Folder to write the report in (default <study folder>/report)", HelpName = "DIR" };
        var command = new Command("report", "Write a study's report: per-factor table, charts, best trial, the assignment's hypotheses")
        {
            study, storage, outDir, to,
        };
        command.WithExamples("mlp sweep report --study grid", "mlp sweep report --study shared --storage postgres --to runs/shared-report");
        command.SetAction(parse =>
        {
            string name = parse.GetValue(study)!;
            using var store = StudyFolders.OpenExisting(parse.GetValue(storage), name, parse.GetValue(outDir));
            var loaded = store.Load(name);
            string folder = parse.GetValue(to) ?? Path.Combine(StudyFolders.Of(name, parse.GetValue(outDir)), "report");
            var files = SweepReport.Write(loaded, Path.GetFullPath(folder));
            Console.Write(File.ReadAllText(files[0]));
            Console.WriteLine();
            Console.WriteLine($"written: {string.Join(", ", files.Select(Path.GetFileName))} in {Path.GetDirectoryName(files[0])}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
