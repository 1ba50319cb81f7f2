namespace MLPipelines.Sweeps.Storage;

/// <summary>The storage cannot be reached or used (bad path, server down, wrong password): one line for the user.</summary>
public sealed class StorageException(string message, Exception? inner = null) : Exception(message, inner);
