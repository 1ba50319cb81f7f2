using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Report;
using MLPipelines.Animals.Training;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Commands;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Stages;

/// <summary>
/// Transfer learning on animal photos (what <c>mlp animals explore</c> and <c>train</c> do) into RUN/animals/&lt;set&gt;:
/// hymenoptera, then animals10 when its features still to compute fit in --animals-budget. The features are cached
/// across runs (RUNS/feature-cache), so a set is slow only the first time.
/// </summary>
public sealed class AnimalsStage : IStage
{
    /// <summary>The shared sets, smallest first: the first always runs, the later ones when the budget allows.</summary>
    public static readonly IReadOnlyList<string> DefaultSets = ["hymenoptera", "animals10"];

    private readonly Option<string?> sets = new("--animals-sets")
    {
        Description = "Photo sets of the animals stage, comma-separated: names under DATA/animals or folders (default: hymenoptera, animals10, those present)",
        HelpName = "SETS",
    };

    private readonly Option<string> budget = new("--animals-budget")
    {
        Description = "Time the animals stage may take: a set after the first is left out when its uncached features and heads " +
                      "(at the speed measured on the sets before it) would not fit (90s, 20m, 1h; 0 = no limit)",
        DefaultValueFactory = _ => "5m",
        HelpName = "TIME",
    };

    public string Name => AnimalsStageFiles.StageName;
    public string Description => "transfer learning from an ImageNet ResNet18 on animal photos (ML.NET, ONNX)";
    public int Order => 400;
    public IEnumerable<Option> Options => [sets, budget];

    public bool CanRun(StageContext context, out string reason)
    {
        reason = "";
        if (Given(context) is not null) return true;
        string animals = Path.Combine(context.Data.Root, "animals");
        if (DefaultSets.Any(s => Directory.Exists(Path.Combine(animals, s)))) return true;
        reason = Directory.Exists(animals)
            ? $"no photo set in {animals} (looked for {string.Join(", ", DefaultSets.Select(s => s + "/"))}): put folder-per-class photos there (see README, Animals) or give --animals-sets FOLDER"
            : $"no animal photos: {animals} is missing; put the shared sets there (hymenoptera/, animals10/: folder-per-class photos, see README, Animals) or give --animals-sets FOLDER";
        return false;
    }

    public StageStatus Run(StageContext context)
    {
        var limitOrNone = ParseBudget(context.Parse.GetValue(budget)!);
        var requested = Given(context) ?? DefaultSets.Where(s => Directory.Exists(Path.Combine(context.Data.Root, "animals", s))).ToList();
        // Load every set first: a wrong name fails before any training.
        var loaded = requested.Select(r => (Argument: r, Set: AnimalsShared.LoadSet(r, context.Data.Root))).ToList();
        var stage = context.Folder(Name);
        string cacheFolder = Path.Combine(Path.GetDirectoryName(context.Run.Path)!, "feature-cache");
        int seed = (int)context.Training.Seed;
        var outcomes = new List<AnimalSetOutcome>();
        var clock = Stopwatch.StartNew();
        var cost = new AnimalsCostModel();

        foreach (var (argument, set) in loaded)
        {
            var splits = StratifiedSplitter.Assign(set, new SplitFractions(), seed);
            AnimalsTrainingOptions.CheckSplits(set, splits);
            if (outcomes.Count > 0 && limitOrNone is { } limit)
            {
                double left = limit.TotalSeconds - clock.Elapsed.TotalSeconds;
                var (estimate, how) = cost.Estimate(set, splits, cacheFolder);
                if (estimate > left)
                {
                    string reason = string.Create(CultureInfo.InvariantCulture,
                        $"would take ~{ProgressDisplay.Format(TimeSpan.FromSeconds(estimate))} ({how}), more than the {ProgressDisplay.Format(TimeSpan.FromSeconds(Math.Max(0, left)))} " +
                        $"left of --animals-budget {context.Parse.GetValue(budget)}; a larger budget (or 0) includes it, and 'mlp animals train {argument}' fills the feature cache for later runs");
                    Console.WriteLine($"animals: {set.Name} left out — {reason}");
                    outcomes.Add(new AnimalSetOutcome(set.Name, AnimalSetOutcome.LeftOut, Reason: reason));
                    continue;
                }
            }

            var run = stage.Child(FolderName(stage, set.Name));
            Console.WriteLine();
            Console.WriteLine($"-- animals: {set.Name} into {run.Path} --");
            var setClock = Stopwatch.StartNew();
            AnimalsExploreCommand.Write(run, set, splits, perClass: 4, seed);
            var settings = new AnimalsTrainingOptions
            {
                Dataset = set.Root, Data = context.Data.Root, Seed = seed, CacheFolder = cacheFolder,
                Backbone = new BackboneOptions { Threads = context.Training.Threads },
                CommandLine = $"mlp animals train {argument}" + (seed == 1 ? "" : $" --seed {seed}"),
            };
            int code = AnimalsTrainCommand.Train(run, settings, set, splits);
            string folder = Path.GetFileName(run.Path);
            if (code == ExitCodes.Interrupted)
            {
                outcomes.Add(new AnimalSetOutcome(set.Name, AnimalSetOutcome.Interrupted, folder, "stopped by Ctrl+C; the features computed so far are cached", setClock.Elapsed.TotalSeconds));
                AnimalsStageFiles.Write(stage.Path, outcomes);
                return StageStatus.Interrupted;
            }
            if (code != ExitCodes.Ok) throw new UserError($"animals training on {set.Name} ended with exit code {code}");
            outcomes.Add(new AnimalSetOutcome(set.Name, AnimalSetOutcome.Trained, folder, Seconds: setClock.Elapsed.TotalSeconds));
            AnimalsStageFiles.Write(stage.Path, outcomes);
            cost.Learn(new AnimalsRunFiles(run.Path), set);
        }
        AnimalsStageFiles.Write(stage.Path, outcomes);
        return StageStatus.Done;
    }

    /// <summary>The sets --animals-sets names, or null when it is not given.</summary>
    private List<string>? Given(StageContext context) =>
        context.Parse.GetValue(sets) is { Length: > 0 } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() is { Count: > 0 } list ? list : null
            : null;

    private static TimeSpan? ParseBudget(string text) =>
        text.Trim() is "0" or "none" ? null : SweepSetup.ParseBudget(text, "--animals-budget");

    /// <summary>A set's folder in the stage: its name, with a suffix when two sets share one.</summary>
    private static string FolderName(RunFolder stage, string name)
    {
        string folder = name;
        for (int n = 2; Directory.Exists(stage.File(folder)); n++) folder = $"{name}-{n}";
        return folder;
    }
}
