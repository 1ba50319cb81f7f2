namespace MLPipelines.Data.Idx;

/// <summary>An IDX file that is truncated, corrupt or does not match what was expected of it.</summary>
public sealed class IdxFormatException(string message) : Exception(message);
