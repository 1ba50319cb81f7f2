namespace MLPipelines.Sweeps.Trials;

/// <summary>A study as read from storage: its configuration and every trial so far (Optuna's vocabulary).</summary>
public sealed record Study(StudyConfig Config, IReadOnlyList<Trial> Trials)
{
    public string Name => Config.Name;

    /// <summary>The best trial trained to the full epochs (by final test accuracy), or null.</summary>
    public Trial? Best => Trials.Where(t => t.State == TrialState.Complete && t.Accuracy is not null)
        .OrderByDescending(t => t.Accuracy).ThenBy(t => t.Number).FirstOrDefault();

    public int Count(TrialState state) => Trials.Count(t => t.State == state);

    /// <summary>Epochs trained across the study: the unit of compute the progress display and the budgets use.</summary>
    public int EpochsTrained => Trials.Sum(t => t.EpochsDone);

    public double WallSeconds => Trials.Sum(t => t.WallSeconds);
    public double CpuSeconds => Trials.Sum(t => t.CpuSeconds);

    /// <summary>One line: trials by state, epochs trained, compute spent.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Count(TrialState.Complete)} complete, {Count(TrialState.Pruned)} pruned, {Count(TrialState.Failed)} failed, " +
        $"{Count(TrialState.Waiting) + Count(TrialState.Running)} left; {EpochsTrained} epochs trained, " +
        $"compute {WallSeconds:F0} s wall / {CpuSeconds:F0} s CPU");
}
