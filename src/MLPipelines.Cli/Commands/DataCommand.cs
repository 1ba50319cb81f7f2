using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp data</c>: where the data is, whether it verifies; fetches what is missing.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataset = new Option<string>("--dataset")
        {
            Description = "IDX data set: " + string.Join(", ", KnownDatasets.All.Select(d => d.Name)),
            DefaultValueFactory = _ => "mnist",
        };
        var noFetch = new Option<bool>("--no-fetch") { Description = "Only check; do not download missing files" };
        var mirror = new Option<string[]>("--mirror")
        {
            Description = "Download from this base URL instead of the standard mirrors (repeatable, tried in order)",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("data", "Show where the data is and whether it verifies; download MNIST when missing")
        {
            data, dataset, noFetch, mirror,
        };
        command.WithExamples(
            "mlp data",
            "mlp data --data ../shared/data --no-fetch",
            "mlp data --dataset fashion-mnist --data ~/datasets",
            "mlp data --mirror http://127.0.0.1:8000/mnist/");
        command.SetAction(parse =>
        {
            var location = DataLocation.Resolve(parse.GetValue(data));
            var spec = Lookup(parse.GetValue(dataset)!);
            string folder = DatasetAccess.Folder(location, spec);
            Console.WriteLine($"data root: {location.Root} (from {location.Source})");
            Console.WriteLine($"{spec.Name}: {folder}");
            var status = IdxDatasetLoader.Check(spec, folder);
            Print(status);
            if (status.All(s => s.Ok)) return ExitCodes.Ok;
            if (parse.GetValue(noFetch))
            {
                Console.Error.WriteLine($"error: {spec.Name} is incomplete in {folder} (run without --no-fetch to download it)");
                return ExitCodes.Failed;
            }
            DatasetAccess.Ensure(location, spec, parse.GetValue(mirror), Interrupt.Token);
            var after = IdxDatasetLoader.Check(spec, folder);
            Print(after);
            return after.All(s => s.Ok) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static IdxDatasetSpec Lookup(string name)
    {
        try
        {
            return KnownDatasets.Get(name);
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
    }

    private static void Print(IReadOnlyList<DataFileStatus> files)
    {
        var table = new Table().AddColumns("file", "shape", "checksum", "status");
        foreach (var s in files)
        {
            string shape = s.Shape is null ? "" : string.Join(" x ", s.Shape);
            string checksum = s.Checksum switch
            {
                ChecksumResult.Verified => "verified",
                ChecksumResult.Mismatch => "MISMATCH",
                _ => s.Found ? "not known" : "",
            };
            string where = s.Path is null ? s.Spec.Name : Path.GetFileName(s.Path);
            string status = s.Error is null ? "ok" : s.Path is not null ? s.Error.Replace(s.Path + ": ", "") : s.Error;
            table.AddRow(Markup.Escape(where), shape, checksum, Markup.Escape(status));
        }
        AnsiConsole.Write(table);
    }
}
