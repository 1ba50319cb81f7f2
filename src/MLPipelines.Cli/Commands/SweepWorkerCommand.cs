using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Sweeps.Running;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp sweep worker</c>: joins an existing study and works on it until it is finished. Start any number, on this
/// machine or others sharing a PostgreSQL study; each claims trials atomically.
/// </summary>
public static class SweepWorkerCommand
{
    public static Command Create()
    {
        var study = SweepSetup.Study();
        var storage = SweepSetup.Storage();
        var outDir = SweepSetup.Out();
        var threads = SweepSetup.Threads();
        var budget = SweepSetup.Budget();
        var maxTrials = SweepSetup.MaxTrials();
        var stale = SweepSetup.Stale();
        var data = CommonOptions.Data();
        var attached = new Option<bool>("--attached") { Description = "Stop when standard input closes (set by 'sweep run --workers')", Hidden = true };
        var command = new Command("worker", "Join an existing study and run its trials until it is finished")
        {
            study, storage, outDir, threads, budget, maxTrials, stale, data, attached,
        };
        command.WithExamples(
            "mlp sweep worker --study shared --storage postgres --threads 2",
            "mlp sweep worker --study shared --storage \"Host=db.example;Username=mlp;Password=mlp;Database=mlp\"",
            "mlp sweep worker --study grid --threads 1                  (a second local worker on a SQLite study)");
        command.SetAction(parse =>
        {
            string name = parse.GetValue(study)!;
            using var store = SweepSetup.OpenStorage(parse.GetValue(storage), name, parse.GetValue(outDir));
            var config = store.Find(name) ?? throw new UserError($"no study named '{name}' in {store.Description}; create it with 'mlp sweep run --study {name} ...'");
            var tuner = TunerFactory.Create(config);
            int perWorker = SweepSetup.ThreadsPerWorker(parse.GetValue(threads), 1);
            var options = new WorkerOptions
            {
                TimeBudget = SweepSetup.ParseBudget(parse.GetValue(budget)),
                MaxTrials = parse.GetValue(maxTrials),
                StaleAfter = TimeSpan.FromSeconds(Math.Max(5, parse.GetValue(stale))),
                Abandon = parse.GetValue(attached) ? WorkerProcess.ParentGone() : CancellationToken.None,
            };
            Console.WriteLine($"worker {options.Id} on study '{name}' in {store.Description}, {perWorker} threads");
            using var runner = SweepSetup.Runner(config, parse.GetValue(data), perWorker);
            var summary = new StudyWorker(store, name, tuner, runner, options, new LineMonitor()).Run(Interrupt.Token);
            string end = summary.StudyFinished ? "study finished" : summary.Interrupted ? "stopped" : "budget spent";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"worker {options.Id}: {summary.Trials} trials ({summary.Failed} failed) in {summary.Elapsed.TotalSeconds:F1} s; {end}"));
            return summary.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A worker's log: a line per trial started and finished.</summary>
    private sealed class LineMonitor : IStudyMonitor
    {
        public void ReportRunningTrial(Sweeps.Trials.Trial trial) =>
            Console.WriteLine($"{DateTime.Now:HH:mm:ss} start trial {trial.Number} {trial.Parameters} to epoch {trial.TargetEpochs} (attempt {trial.Attempts})");

        public void ReportCompletedTrial(Sweeps.Trials.Trial trial) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {trial.Describe()}");

        public void ReportFailTrial(Sweeps.Trials.Trial trial, Exception error) =>
            Console.WriteLine($"{DateTime.Now:HH:mm:ss} trial {trial.Number} failed: {error.Message.ReplaceLineEndings(" ")}");
    }
}
