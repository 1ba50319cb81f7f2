namespace MLPipelines.Data.Download;

public sealed class DownloadException(string message) : Exception(message);
