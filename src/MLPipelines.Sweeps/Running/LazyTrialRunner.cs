namespace MLPipelines.Sweeps.Running;

/// <summary>
/// A runner made on the first trial a worker claims, so that a worker with nothing to do (a finished study, a spent
/// budget) never loads the data. When making it fails (data missing, unreadable), the worker stops and gives the trial
/// back: the failure is the worker's, not the trial's.
/// </summary>
public sealed class LazyTrialRunner(Func<ITrialRunner> create) : ITrialRunner
{
    private ITrialRunner? runner;

    public bool Run(TrialSettings settings, ITrialReporter reporter, CancellationToken cancel)
    {
        if (runner is null)
        {
            try
            {
                runner = create();
            }
            catch (Exception e)
            {
                throw new RunnerUnavailableException(e);
            }
        }
        return runner.Run(settings, reporter, cancel);
    }

    public void Dispose() => runner?.Dispose();
}

/// <summary>The worker cannot run trials at all (its runner could not be made); carries the cause's message.</summary>
public sealed class RunnerUnavailableException(Exception inner) : Exception(inner.Message, inner);
