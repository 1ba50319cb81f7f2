namespace MLPipelines.Sweeps.Trials;

/// <summary>
/// Where a trial stands. Waiting: queued (new, re-queued after its worker died, or released on Ctrl+C).
/// Running: a worker holds it and beats its heartbeat. Pruned: stopped early below the full epochs (a successive
/// halving rung; it may be promoted, i.e. resumed, later). Complete: trained the full epochs. Failed: the runner threw.
/// </summary>
public enum TrialState { Waiting, Running, Pruned, Complete, Failed }

public static class TrialStates
{
    public static string ToText(this TrialState s) => s.ToString().ToLowerInvariant();

    public static TrialState Parse(string text) =>
        Enum.TryParse<TrialState>(text, ignoreCase: true, out var s) ? s : throw new InvalidDataException($"unknown trial state '{text}'");

    public static bool IsFinished(this TrialState s) => s is TrialState.Pruned or TrialState.Complete or TrialState.Failed;
}
