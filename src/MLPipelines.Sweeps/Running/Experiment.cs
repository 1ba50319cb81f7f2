using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;
using MLPipelines.Sweeps.Tuners;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// A study run end to end, in the shape of ML.NET AutoML's <c>AutoMLExperiment</c>: set the study (search space,
/// tuner, training), the runner, a monitor and a budget, then <see cref="Run"/>. Creates the study when the
/// storage lacks it, resumes it otherwise.
/// <code>
/// var summary = new Experiment(storage)
///     .SetStudy(new StudyConfig { Name = "grid", Tuner = "grid", Epochs = 3 })
///     .SetTrialRunner(runner).SetMonitor(monitor).SetMaxTrials(10).SetTimeBudget(TimeSpan.FromMinutes(30))
///     .Run(cancel);
/// </code>
/// </summary>
public sealed class Experiment(IStudyStorage storage)
{
    private StudyConfig? config;
    private ITrialRunner? runner;
    private IStudyMonitor? monitor;
    private WorkerOptions worker = new();

    public Experiment SetStudy(StudyConfig study) { config = study; return this; }
    public Experiment SetTrialRunner(ITrialRunner trialRunner) { runner = trialRunner; return this; }
    public Experiment SetMonitor(IStudyMonitor studyMonitor) { monitor = studyMonitor; return this; }
    public Experiment SetMaxTrials(int trials) { worker = worker with { MaxTrials = trials }; return this; }
    public Experiment SetTimeBudget(TimeSpan budget) { worker = worker with { TimeBudget = budget }; return this; }
    public Experiment SetWorkerOptions(WorkerOptions options) { worker = options; return this; }

    /// <summary>Creates or opens the study and returns its tuner (what <see cref="Run"/> does first).</summary>
    public static ITuner Prepare(IStudyStorage storage, StudyConfig config)
    {
        config = config with { Tuner = TunerFactory.Normalize(config.Tuner) };
        var tuner = TunerFactory.Create(config);
        var stored = storage.CreateOrOpen(config, tuner.Initial());
        return TunerFactory.Create(stored);
    }

    public WorkerSummary Run(CancellationToken cancel = default)
    {
        if (config is null) throw new InvalidOperationException("SetStudy first");
        if (runner is null) throw new InvalidOperationException("SetTrialRunner first");
        var tuner = Prepare(storage, config);
        return new StudyWorker(storage, config.Name, tuner, runner, worker, monitor).Run(cancel);
    }
}
