using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp sweep run</c>: creates the study (or resumes it) and works on it, in this process or in --workers worker
/// processes; writes the report when the study is finished.
/// </summary>
public static class SweepRunCommand
{
    public static Command Create()
    {
        var study = SweepSetup.Study();
        var storage = SweepSetup.Storage();
        var outDir = SweepSetup.Out();
        var tuner = new Option<string>("--tuner") { Description = "grid, random, ofat (one factor at a time around --base), asha (successive halving), tpe (model-based: tree-structured Parzen estimator) or tpe-asha (successive halving of TPE's proposals)", DefaultValueFactory = _ => "grid" };
        var space = new Option<string?>("--space")
        {
            Description = "Search space (default the assignment's: dropout=0.3,0.4,0.5,0.6,0.7;batch=40,80,100,120,150;kernel=4,5). " +
                          "Ranges: name=low..high[:int][:log][:points]. Parameters of the digit network: " + string.Join(", ", DigitTrialRunner.KnownParameters.Keys) +
                          "; of greek-transfer (default " + StudyDefinition.GreekSpace + "): " + string.Join(", ", GreekTrialRunner.KnownParameters.Keys) +
                          "; of photo-heads (default " + TrialRunners.PhotoSpace + "): " + string.Join(", ", PhotoHeadTrialRunner.KnownParameters.Keys),
            HelpName = "SPEC",
        };
        var trainer = new Option<string>("--trainer") { Description = "What trials train: digits (the digit network on an IDX data set), greek-transfer (the digit network's transfer to a folder of letters) or photo-heads (heads on ImageNet ResNet18 features of a folder of photos)", DefaultValueFactory = _ => TrialRunners.Digits };
        var trainFolder = new Option<string?>("--train") { Description = "greek-transfer, photo-heads: the training images (a folder of class folders)", HelpName = "DIR" };
        var validationFolder = new Option<string?>("--validation") { Description = "greek-transfer, photo-heads: the images trials are scored on (default: a stratified fifth of --train held out)", HelpName = "DIR" };
        var baseModel = new Option<string?>("--base-model") { Description = "greek-transfer: the digit model to transfer from (default models/digits.zip)", HelpName = "ZIP" };
        var basePoint = new Option<string?>("--base") { Description = "ofat's base point (default dropout=0.5;batch=100;kernel=5)", HelpName = "POINT" };
        var trials = new Option<int>("--trials") { Description = "Configurations for random and tpe (default 20) and asha, tpe-asha (default: the grid's size)" };
        var enqueue = new Option<string[]>("--enqueue") { Description = "tpe, random: a point to try first, every parameter given (\"dropout=0.5;batch=100;kernel=5\"); repeat for more", HelpName = "POINT", AllowMultipleArgumentsPerToken = false };
        var startupTrials = new Option<int>("--startup-trials") { Description = "tpe: random trials before the model proposes (default: a fifth of --trials, 4 to 10)" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of a full trial (asha's top rung)", DefaultValueFactory = _ => 3 };
        var eta = new Option<int>("--eta") { Description = "asha: keep the best 1/eta at each rung", DefaultValueFactory = _ => 3 };
        var minEpochs = new Option<int>("--min-epochs") { Description = "asha: epochs of the first rung", DefaultValueFactory = _ => 1 };
        var recipe = new Option<string>("--recipe") { Description = "Training recipe the parameters modify (assignment or tuned)", DefaultValueFactory = _ => "assignment" };
        var trainLimit = new Option<int>("--train-limit") { Description = "Train on the first N images only (0 = all 60,000)" };
        var testLimit = new Option<int>("--test-limit") { Description = "Test on the first N images only (0 = all 10,000)" };
        var seed = CommonOptions.Seed();
        var dataset = new DatasetOptions();
        // Measured on the 2-core machine: two 1-thread workers trained 4 epochs in 33 s and 13 CPU-s, one 2-thread worker
        // in 115 s and 57 CPU-s (libtorch's threads spin waiting for each other on a busy machine). One worker per core.
        var workers = new Option<int>("--workers")
        {
            Description = "Worker processes to start on this machine, each training one trial at a time and loading the data once " +
                          "(default: one per core, at most 4; 1 runs the trials in this process)",
            DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4),
        };
        var threads = SweepSetup.Threads();
        var budget = SweepSetup.Budget();
        var maxTrials = SweepSetup.MaxTrials();
        var stale = SweepSetup.Stale();
        var dataOption = CommonOptions.Data();
        var command = new Command("run", "Create or resume a study and run its trials")
        {
            study, storage, outDir, trainer, trainFolder, validationFolder, baseModel, tuner, space, basePoint, trials, enqueue, startupTrials, epochs, eta, minEpochs, recipe, trainLimit, testLimit, seed,
            workers, threads, budget, maxTrials, stale, dataOption,
        };
        dataset.AddTo(command);
        command.WithExamples(
            "mlp sweep run --study grid --tuner grid --epochs 3                 (the assignment's 50 combinations)",
            "mlp sweep run --study asha --tuner asha --epochs 9 --eta 3         (successive halving on the same space)",
            "mlp sweep run --study ofat --tuner ofat --base \"dropout=0.5;batch=100;kernel=5\"",
            "mlp sweep run --study lr --tuner random --trials 12 --space \"lr=0.001..0.1:log;momentum=0.5,0.9\"",
            "mlp sweep run --study tpe --tuner tpe --trials 30 --space \"dropout=0.3..0.7;batch=40,80,100,120,150;kernel=4,5;lr=0.001..0.1:log;momentum=0.0..0.95\"",
            "mlp sweep run --study letters --trainer greek-transfer --train DATA/greek/train --validation DATA/greek/test --tuner tpe --trials 20 --epochs 30",
            "mlp sweep run --study bees --trainer photo-heads --train DATA/animals/hymenoptera/train --tuner tpe --trials 30",
            "mlp sweep run --study grid --workers 1 --threads 2                 (one trial at a time, in this process)",
            "mlp sweep run --study shared --storage postgres --tuner grid       (PostgreSQL from $MLP_POSTGRES; add workers anywhere with 'mlp sweep worker')",
            "mlp sweep run --study grid                                          (after Ctrl+C or kill -9: continues where it stopped)");

        Option[] defining = [trainer, trainFolder, validationFolder, baseModel, tuner, space, basePoint, trials, enqueue, startupTrials, epochs, eta, minEpochs, recipe, trainLimit, testLimit, seed, dataset.Dataset, dataset.Classes];
        command.SetAction(parse =>
        {
            string name = parse.GetValue(study)!;
            StudyConfig Build() => new StudyDefinition
            {
                Name = name, Trainer = parse.GetValue(trainer)!, TrainFolder = parse.GetValue(trainFolder), ValidationFolder = parse.GetValue(validationFolder),
                BaseModel = parse.GetValue(baseModel), Tuner = parse.GetValue(tuner)!, Space = parse.GetValue(space), Base = parse.GetValue(basePoint),
                Trials = parse.GetValue(trials), Epochs = parse.GetValue(epochs), Eta = parse.GetValue(eta), MinEpochs = parse.GetValue(minEpochs),
                StartupTrials = parse.GetValue(startupTrials), Enqueued = parse.GetValue(enqueue) is { Length: > 0 } points ? points : null, Recipe = parse.GetValue(recipe)!, TrainLimit = parse.GetValue(trainLimit), TestLimit = parse.GetValue(testLimit),
                Seed = parse.GetValue(seed), Dataset = dataset.Resolve(parse),
            }.ToConfig();
            // Settings given: check them before touching the storage. None given: resume the study as it was created.
            bool given = defining.Any(o => parse.GetResult(o) is { Implicit: false });
            var config = given ? Build() : null;
            using var store = SweepSetup.OpenStorage(parse.GetValue(storage), name, parse.GetValue(outDir));
            config ??= store.Find(name) ?? Build();
            int workerCount = parse.GetValue(workers);
            if (workerCount < 1) throw new UserError($"--workers must be at least 1 (got {workerCount})");
            int perWorker = SweepSetup.ThreadsPerWorker(parse.GetValue(threads), workerCount);
            var timeBudget = SweepSetup.ParseBudget(parse.GetValue(budget));
            var staleAfter = TimeSpan.FromSeconds(Math.Max(5, parse.GetValue(stale)));
            string? data = parse.GetValue(dataOption);
            var options = new StudyOptimizeOptions
            {
                Storage = store, Study = config, Folder = StudyFolders.Of(name, parse.GetValue(outDir)), Workers = workerCount,
                ThreadsPerWorker = perWorker, TimeBudget = timeBudget, MaxTrials = parse.GetValue(maxTrials), StaleAfter = staleAfter,
                Runner = c => SweepSetup.Runner(c, data, perWorker),
                StartWorker = SweepSetup.WorkerStarter(StudyFolders.SpecFor(store, parse.GetValue(storage)), name, perWorker, data, timeBudget,
                    parse.GetValue(maxTrials), staleAfter),
            };
            var result = Optimize(options);
            if (result.Outcome == StudyOutcome.Interrupted)
            {
                Console.WriteLine($"stopped; continue with the same command (mlp sweep run --study {name} ...)");
                return ExitCodes.Interrupted;
            }
            if (result.Outcome == StudyOutcome.Unfinished)
                Console.WriteLine("the study is not finished (budget or --max-trials reached); run the same command to continue");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><see cref="StudyOptimizer.Optimize"/> with a bar (epochs across the study), then its summary and report.</summary>
    public static StudyOptimizeResult Optimize(StudyOptimizeOptions options)
    {
        var result = ProgressDisplay.Run($"sweep {options.Study.Name}", progress => StudyOptimizer.Optimize(options, progress, Interrupt.Token));
        foreach (string failure in result.WorkerFailures) Console.Error.WriteLine(failure);
        Console.WriteLine($"{result.Study.Describe()}; this run {ProgressDisplay.Format(result.Elapsed)}");
        if (result.Study.Best is { } best)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: trial {best.Number} {best.Parameters}: {best.Accuracy:P2}"));
        if (result.Report is not null) Console.WriteLine($"report: {result.Report}");
        return result;
    }
}
