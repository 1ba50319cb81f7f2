namespace MLPipelines.Data.Datasets;

/// <summary>A data set that cannot be used as asked: unknown, not a folder, incomplete, or holding files that fail their checks.</summary>
public sealed class DatasetException(string message) : Exception(message);
