namespace MLPipelines.Core.Runs;

/// <summary>
/// How far a long library call is, as every call of the project reports it through <see cref="IProgress{T}"/>:
/// <see cref="Done"/> of <see cref="Total"/> units with a short <see cref="Status"/> (a progress bar's text), or a
/// <see cref="Message"/>: a line worth keeping (an epoch's result, a file written), or a <see cref="IsWarning"/> one
/// (a file skipped).
/// </summary>
public readonly record struct WorkProgress(double Done, double Total, string? Status = null, string? Message = null, bool IsWarning = false)
{
    public static WorkProgress Line(string message) => new(double.NaN, double.NaN, null, message);

    public static WorkProgress Warning(string message) => new(double.NaN, double.NaN, null, message, IsWarning: true);

    public bool IsLine => Message is not null;
}
