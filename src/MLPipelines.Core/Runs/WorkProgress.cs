namespace MLPipelines.Core.Runs;

/// <summary>
/// How far a long library call is, as every call of the project reports it through <see cref="IProgress{T}"/>:
/// <see cref="Done"/> of <see cref="Total"/> units with a short <see cref="Status"/> (a progress bar's text), or a
/// <see cref="Message"/>: a line worth keeping (an epoch's result, a file written).
/// </summary>
public readonly record struct WorkProgress(double Done, double Total, string? Status = null, string? Message = null)
{
    public static WorkProgress Line(string message) => new(double.NaN, double.NaN, null, message);

    public bool IsLine => Message is not null;
}
