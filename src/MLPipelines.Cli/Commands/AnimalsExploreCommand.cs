using MLPipelines.Core.Runs;
using System.CommandLine;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Figures;
using MLPipelines.Cli.Cli;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp animals explore</c>: what a photo set holds. The assignment's two figures (class distribution, a grid of
/// sample photos with their labels), image size statistics, sources per class and the files that are skipped.
/// </summary>
public static class AnimalsExploreCommand
{
    public static Command Create()
    {
        var shared = new AnimalsShared();
        var perClass = new Option<int>("--per-class") { Description = "Sample photos per class in the grid", DefaultValueFactory = _ => 4 };
        var command = new Command("explore", "Show a photo set: classes, counts per split, image sizes, sources, skipped files, figures")
        {
            shared.Dataset, shared.Data, shared.Runs, perClass,
        };
        shared.AddSplitOptions(command);
        command.WithExamples(
            "mlp animals explore hymenoptera",
            "mlp animals explore animals10 --per-class 6",
            "mlp animals explore ~/kaggle/animals10          (raw-img/cane, raw-img/gatto, ... shown in English)");
        command.SetAction(parse =>
        {
            var set = shared.LoadSet(parse);
            var splits = shared.AssignSplits(parse, set);
            int n = parse.GetValue(perClass);
            if (n is < 1 or > 20) throw new UserError($"--per-class must be 1-20 (got {n})");
            var run = RunFolder.Create(parse.GetValue(shared.Runs), $"animals-explore-{set.Name}");
            Console.Write(Write(run, set, splits, n, (int)parse.GetValue(shared.Seed)));
            run.WriteJson("options.json", new { dataset = set.Root, seed = parse.GetValue(shared.Seed), val_fraction = parse.GetValue(shared.ValidationFraction), test_fraction = parse.GetValue(shared.TestFraction) });
            Console.WriteLine($"\nfigures: {run.File(ClassDistribution)}, {run.File(Samples)}");
            Console.WriteLine($"run folder: {run.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Writes what explore shows into <paramref name="run"/>: summary.txt, skipped.txt, split.csv and the two figures
    /// (class_distribution.png, samples.png with <paramref name="perClass"/> photos a class). Returns the summary text.
    /// </summary>
    public static string Write(RunFolder run, PhotoSet set, Split[] splits, int perClass, int seed)
    {
        string summary = PhotoSetSummary.Describe(set, splits);
        run.WriteText("summary.txt", summary);
        run.WriteText("skipped.txt", string.Concat(set.Skipped.Select(s => $"{s.Path}\t{s.Reason}\n")));
        SplitFile.Write(run.File(SplitFile.Name), set, splits);

        var series = new[] { Split.Train, Split.Validation, Split.Test }
            .Select(s => (Name: s.ToString().ToLowerInvariant(), Values: Enumerable.Range(0, set.ClassNames.Count)
                .Select(c => (double)Enumerable.Range(0, set.Photos.Count).Count(i => set.Photos[i].Label == c && splits[i] == s)).ToArray()))
            .Where(s => s.Values.Sum() > 0).ToList();
        Charts.StackedBars(run.File(ClassDistribution), $"{set.Name}: photos per class", "photos", set.ClassNames, series);

        var random = new Random(seed);
        var cells = Enumerable.Range(0, set.ClassNames.Count).SelectMany(c =>
        {
            var photos = set.Photos.Where(p => p.Label == c).ToArray();
            random.Shuffle(photos);
            return photos.Take(perClass).Select(p => new PhotoCell(p.Path, set.ClassNames[c], $"{p.Width}x{p.Height} {p.Source}".TrimEnd()));
        }).ToList();
        // Whole classes per row, about 8 photos wide.
        PhotoGrid.Write(run.File(Samples), cells, Math.Max(perClass, 8 / perClass * perClass), $"{set.Name}: {perClass} random photos per class (label, size, source)");
        return summary;
    }

    public const string ClassDistribution = "class_distribution.png";
    public const string Samples = "samples.png";
}
