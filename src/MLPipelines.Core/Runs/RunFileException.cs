namespace MLPipelines.Core.Runs;

/// <summary>A run folder's file is missing or cannot be read; the message names the file and says why, in one line.</summary>
public sealed class RunFileException(string message) : Exception(message);
