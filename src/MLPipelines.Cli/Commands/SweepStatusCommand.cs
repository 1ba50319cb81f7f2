using MLPipelines.Core.Runs;
using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp sweep status</c>: a study's trials by state, what is running where, the best so far; or the studies in a storage.</summary>
public static class SweepStatusCommand
{
    public static Command Create()
    {
        var study = SweepSetup.Study();
        var storage = SweepSetup.Storage();
        var outDir = SweepSetup.Out();
        var all = new Option<bool>("--trials") { Description = "List every trial" };
        var list = new Option<bool>("--list") { Description = "List the studies in the storage (default: the local SQLite studies under runs/sweeps)" };
        var command = new Command("status", "Show a study's progress: trials by state, running workers, the best trial")
        {
            study, storage, outDir, all, list,
        };
        command.WithExamples("mlp sweep status --study grid", "mlp sweep status --study grid --trials", "mlp sweep status --storage postgres --list");
        command.SetAction(parse =>
        {
            string name = parse.GetValue(study)!;
            if (parse.GetValue(list))
            {
                if (parse.GetValue(storage) is null)
                {
                    var local = StudyFolders.LocalStudies();
                    foreach (var (n, db) in local) Console.WriteLine($"{n}\t{db}");
                    if (local.Count == 0) Console.WriteLine($"no studies under {Path.Combine(RunFolder.DefaultRoot, "sweeps")}");
                    return ExitCodes.Ok;
                }
                using var s = SweepSetup.OpenStorage(parse.GetValue(storage), name, parse.GetValue(outDir), readOnly: true);
                foreach (string n in s.Studies()) Console.WriteLine(n);
                return ExitCodes.Ok;
            }
            using var store = StudyFolders.OpenExisting(parse.GetValue(storage), name, parse.GetValue(outDir));
            var loaded = store.Load(name);
            Print(loaded, TunerFactory.Create(loaded.Config), parse.GetValue(all));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static void Print(Study study, ITuner tuner, bool everyTrial)
    {
        var c = study.Config;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"study '{c.Name}': tuner {c.Tuner}, {c.Epochs} epochs per full trial, space {c.Space}" + (c.Base is null ? "" : $", base {c.Base}"));
        Console.WriteLine(string.Create(inv,
            $"trials: {study.Count(TrialState.Complete)} complete, {study.Count(TrialState.Pruned)} pruned, {study.Count(TrialState.Failed)} failed, " +
            $"{study.Count(TrialState.Running)} running, {study.Count(TrialState.Waiting)} waiting"));
        double estimate = tuner.EstimatedEpochs;
        Console.WriteLine(string.Create(inv,
            $"progress: {study.EpochsTrained} of about {estimate:F0} epochs ({Math.Min(1, study.EpochsTrained / Math.Max(1, estimate)):P0}); " +
            $"compute so far {study.WallSeconds:F0} s wall, {study.CpuSeconds:F0} s CPU"));
        foreach (var t in study.Trials.Where(t => t.State == TrialState.Running))
        {
            double age = t.Heartbeat is { } h ? (DateTime.UtcNow - h).TotalSeconds : double.NaN;
            Console.WriteLine(string.Create(inv, $"  running: trial {t.Number} {t.Parameters}, epoch {t.EpochsDone}/{t.TargetEpochs}, worker {t.Worker}, heartbeat {age:F0} s ago"));
        }
        foreach (var t in study.Trials.Where(t => t.State == TrialState.Failed))
            Console.WriteLine($"  failed: trial {t.Number} {t.Parameters}: {t.Error}");
        if (study.Best is { } best)
            Console.WriteLine(string.Create(inv, $"best: trial {best.Number} {best.Parameters}: {best.AccuracyBefore:P2} -> {best.Accuracy:P2}"));
        if (everyTrial)
            foreach (var t in study.Trials) Console.WriteLine(t.Describe() + $" (attempts {t.Attempts})");
    }
}
