namespace MLPipelines.Core.Models;

/// <summary>A file that is not a usable model.</summary>
public sealed class InvalidModelException(string message) : Exception(message);
