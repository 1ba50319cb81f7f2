using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Core.Datasets;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Auto;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp auto train</c>: <see cref="AutoImageClassification.Run"/> on a folder, the leaderboard printed.</summary>
public static class AutoTrainCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "A folder of class folders, or one with train/ and test/ (or val/) of class folders", Required = true, HelpName = "DIR" };
        var approach = new Option<string?>("--approach") { Description = "Search only this approach: transfer (the digit network's, for ink on paper) or photo (ResNet18 features + a head); default: chosen from the data, both when unsure", HelpName = "NAME" };
        var cache = new Option<string?>("--feature-cache") { Description = "Where ResNet18 features are cached across runs (default runs/feature-cache, shared with mlp animals)", HelpName = "DIR" };
        var budget = new Option<string>("--budget") { Description = "Time for the search (90s, 5m, 1h); the best configuration is then trained on all the images", DefaultValueFactory = _ => "5m", HelpName = "TIME" };
        var output = new Option<string?>("--out") { Description = "The run's folder (default runs/<stamp>-auto); given again, the search resumes", HelpName = "DIR" };
        var storage = new Option<string?>("--storage") { Description = "Share the search among workers: 'postgres' ($MLP_POSTGRES) or a connection string (default: a SQLite file in the run's folder)" };
        var baseModel = new Option<string?>("--base-model") { Description = "The digit model to transfer from (default models/digits.zip)", HelpName = "ZIP" };
        var threads = CommonOptions.Threads();
        var seed = CommonOptions.Seed();
        var command = new Command("train", "Find the best model for an image folder within a time budget, and write it with a leaderboard and a console project that uses it")
        {
            dataset, budget, output, storage, baseModel, approach, cache, threads, seed,
        };
        command.WithExamples("mlp auto train --dataset DATA/greek --budget 3m", "mlp auto train --dataset DATA/animals/hymenoptera --budget 3m",
            "mlp auto train --dataset my-symbols --budget 10m --out runs/symbols");
        command.SetAction(parse =>
        {
            string data = parse.GetValue(dataset)!;
            if (!Directory.Exists(data)) throw new UserError($"dataset folder not found: {data}");
            var time = SweepSetup.ParseBudget(parse.GetValue(budget)) ?? TimeSpan.FromMinutes(5);
            string folder = parse.GetValue(output) is { } o ? Path.GetFullPath(o) : RunFolder.Create(null, "auto").Path;
            var options = new AutoImageClassificationOptions
            {
                Dataset = data, Output = folder, Budget = time, Storage = parse.GetValue(storage), BaseModel = parse.GetValue(baseModel),
                Threads = parse.GetValue(threads), Seed = parse.GetValue(seed), Approach = parse.GetValue(approach), FeatureCache = parse.GetValue(cache),
            };
            Console.WriteLine($"auto: {Path.GetFullPath(data)}, budget {time}, run folder {folder}");
            AutoImageClassificationResult result;
            try
            {
                result = ProgressDisplay.Run("auto", progress => AutoImageClassification.Run(options, progress, Interrupt.Token));
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"stopped: the finished trials are kept in {folder}; run the same command with --out {folder} to continue");
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is NotSupportedException or ImageFolderException or ArgumentException or InvalidOperationException or DirectoryNotFoundException or InvalidDataException)
            {
                throw new UserError(e.Message);
            }
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"searched: {string.Join(" and ", result.Approaches)}: {result.Reason}");
            Console.WriteLine($"chosen: {result.Approach}");
            Console.WriteLine("leaderboard (validation accuracy on a stratified fifth of the training images):");
            foreach (var e in result.Leaderboard.Take(10))
                Console.WriteLine(string.Create(inv, $"  {e.Rank,3}. {e.ValidationAccuracy,7:P2}  loss {e.ValidationLoss:F4}  {e.Seconds,6:F1} s  {e.Approach}, trial {e.Trial}: {e.Parameters}"));
            if (result.Leaderboard.Count > 10) Console.WriteLine($"  ... {result.Leaderboard.Count} trials in all: {result.LeaderboardPath}");
            if (result.TestAccuracy is { } a) Console.WriteLine(string.Create(inv, $"{result.Evaluated} accuracy: {a:P2} of {result.TestCount} images"));
            Console.WriteLine($"model: {result.ModelPath}");
            if (result.ReportPath is { } report) Console.WriteLine($"report: {report}");
            Console.WriteLine($"consumer project: {result.ConsumerProject} (dotnet run --project {result.ConsumerProject} -- IMAGE...)");
            Console.WriteLine(string.Create(inv, $"took {result.Elapsed.TotalSeconds:F0} s"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
