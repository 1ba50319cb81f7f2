namespace MLPipelines.Prediction.Scoring;

/// <summary>A manifest or output that cannot be scored as asked (missing column, nothing to resume, ...). The message is for the user.</summary>
public sealed class ScoringException(string message) : Exception(message);
