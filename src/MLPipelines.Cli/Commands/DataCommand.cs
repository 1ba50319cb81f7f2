using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.Download;
using Spectre.Console;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp data</c>: where the data is, whether it verifies; fetches what is missing. A file that fails its checks is
/// kept unless <c>--repair</c> asks to move it aside and download a verified copy.
/// </summary>
public static class DataCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataset = new DatasetOptions();
        var noFetch = new Option<bool>("--no-fetch") { Description = "Only check; do not download missing files" };
        var repair = new Option<bool>("--repair")
        {
            Description = "Replace files that fail their checks: each is moved aside (NAME.bad) and a verified copy downloaded",
        };
        var mirror = new Option<string[]>("--mirror")
        {
            Description = "Download from this base URL instead of the standard mirrors (repeatable, tried in order)",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("data", "Show where the data is and whether it verifies; download MNIST when missing")
        {
            data, noFetch, repair, mirror,
        };
        dataset.AddTo(command);
        command.WithExamples(
            "mlp data",
            "mlp data --data ../shared/data --no-fetch",
            "mlp data --dataset fashion-mnist --data ~/datasets",
            "mlp data --dataset ~/letters-idx --classes a,b,c      (any MNIST-layout set; unverified)",
            "mlp data --repair                     (move files that fail their checks aside and download them again)",
            "mlp data --mirror http://127.0.0.1:8000/mnist/");
        command.SetAction(parse =>
        {
            var location = DataLocation.Resolve(parse.GetValue(data));
            var spec = dataset.Resolve(parse);
            string folder = DatasetAccess.Folder(location, spec);
            Console.WriteLine($"data root: {location.Root} (from {location.Source})");
            Console.WriteLine($"{spec.Name}: {folder}{(spec.Verifiable ? "" : " (a folder data set: unverified, no checksums known)")}");
            if (spec.Location is not null) Console.WriteLine($"classes: {string.Join(", ", spec.ClassNames)}");
            var status = IdxDatasetLoader.Check(spec, folder);
            Print(status);
            if (status.All(s => s.Ok)) return ExitCodes.Ok;
            var bad = status.Where(s => s.Bad).ToList();
            bool repairing = parse.GetValue(repair);
            if (bad.Count > 0 && !repairing)
            {
                Console.Error.WriteLine($"error: {DatasetAccess.BadFilesMessage(spec, folder, bad)}");
                return ExitCodes.Failed;
            }
            if (parse.GetValue(noFetch))
            {
                Console.Error.WriteLine($"error: {spec.Name} is incomplete in {folder} (run without --no-fetch to download it)");
                return ExitCodes.Failed;
            }
            spec = DatasetAccess.WithMirrors(spec, parse.GetValue(mirror));
            if (spec.Mirrors.Count == 0)
                throw new UserError($"{spec.Name} is incomplete in {folder} and has no download mirror: copy its four IDX files there");
            DataFiles.Download(spec, folder, repairing, Interrupt.Token);
            var after = IdxDatasetLoader.Check(spec, folder);
            Print(after);
            return after.All(s => s.Ok) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
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
                ChecksumResult.Unverified => "unverified",
                _ => s.Found ? "not known" : "",
            };
            string where = s.Path is null ? s.Spec.Name : Path.GetFileName(s.Path);
            string status = s.Error is null ? "ok" : s.Path is not null ? s.Error.Replace(s.Path + ": ", "") : s.Error;
            table.AddRow(Markup.Escape(where), shape, checksum, Markup.Escape(status));
        }
        AnsiConsole.Write(table);
    }
}
