namespace MLPipelines.Cli.Cli;

/// <summary>A mistake of the user's (bad option value, missing file): printed as one line, exit code 1.</summary>
public sealed class UserError(string message) : Exception(message);
