using MLPipelines.Data.Download;
using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Commands;
using MLPipelines.Data.Datasets;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Reporting;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Cli.Stages;

/// <summary>
/// The hyper-parameter sweep (what <c>mlp sweep run</c> does) into RUN/sweep/&lt;tuner&gt;: by default the assignment's
/// one-factor-at-a-time table (10 trials around dropout 0.5, batch 100, kernel 5) at 1 epoch each, one worker process
/// per core, on the images --train-limit/--test-limit leave. A study already in the run folder is resumed.
/// </summary>
public sealed class SweepStage : IStage
{
    public const string StageName = SweepReportSection.StageName;

    private readonly Option<string> tuner = new("--sweep-tuner")
    {
        Description = "Tuner of the sweep stage: ofat (the assignment's one-factor table: 10 trials), grid (its 50 combinations), asha or random",
        DefaultValueFactory = _ => "ofat",
        HelpName = "TUNER",
    };

    private readonly Option<int> epochs = new("--sweep-epochs")
    {
        Description = "Epochs per sweep trial (asha: of its top rung); the trials also follow --train-limit, --test-limit and --seed",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<int> workers = new("--sweep-workers")
    {
        Description = "Sweep worker processes, one libtorch thread each (default: one per core, at most 4; 1 trains in this process)",
        DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4),
    };

    public string Name => StageName;
    public string Description => "hyper-parameter sweep of the digit network (the assignment's one-factor-at-a-time table)";
    public int Order => 300;
    public IEnumerable<Option> Options => [tuner, epochs, workers];

    public bool CanRun(StageContext context, out string reason)
    {
        var spec = context.Dataset;
        string folder = DatasetAccess.Folder(context.Data, spec);
        // The digits stage downloads MNIST; without it (skipped, or the download failed) the sweep has no data.
        string name = spec == KnownDatasets.Mnist ? "MNIST" : spec.Name;
        reason = IdxDatasetLoader.IsComplete(spec, folder) ? "" : $"{name} is not in {folder}: the digits stage downloads it, or run 'mlp data'";
        return reason.Length == 0;
    }

    public StageStatus Run(StageContext context)
    {
        string name = TunerFactory.Normalize(context.Parse.GetValue(tuner)!);
        int workerCount = context.Parse.GetValue(workers);
        if (workerCount < 1) throw new UserError($"--sweep-workers must be at least 1 (got {workerCount})");
        // The study is named after its tuner, in its own folder: RUN/sweep/ofat/study.db, report/, workers/.
        string folder = context.Folder(Name).Folder(name);
        var t = context.Training;
        var asked = new StudyDefinition
        {
            Name = name, Tuner = name, Epochs = context.Parse.GetValue(epochs), TrainLimit = t.TrainLimit, TestLimit = t.TestLimit,
            Seed = t.Seed, Dataset = context.Dataset,
        }.ToConfig();
        using var store = SweepSetup.OpenStorage(null, name, folder);
        var existing = store.Find(name);
        if (existing is not null) Console.WriteLine($"sweep: resuming the study in {folder} with its own settings ({existing.Epochs} epochs per trial)");

        int threads = SweepSetup.ThreadsPerWorker(0, workerCount);
        var staleAfter = TimeSpan.FromSeconds(60);
        var result = SweepRunCommand.Optimize(new StudyOptimizeOptions
        {
            Storage = store, Study = existing ?? asked, Folder = folder, Workers = workerCount, ThreadsPerWorker = threads, StaleAfter = staleAfter,
            Runner = c => SweepSetup.Runner(c, context.Data.Root, threads),
            StartWorker = SweepSetup.WorkerStarter(StudyFolders.SpecFor(store, null), name, threads, context.Data.Root, null, null, staleAfter),
        });
        var study = result.Study;
        if (result.Outcome == StudyOutcome.Interrupted)
        {
            Console.WriteLine($"sweep: continue it with 'mlp sweep run --study {name} --out {folder}', then 'mlp report {context.Run.Path}'");
            return StageStatus.Interrupted;
        }
        if (study.Count(TrialState.Complete) == 0)
            throw new UserError($"no trial of the sweep completed ({study.Count(TrialState.Failed)} failed): see {Path.Combine(folder, "workers")} and {context.Run.File("log.txt")}");
        return StageStatus.Done;
    }
}
