namespace MLPipelines.Data.Download;

/// <summary>How far the download of one file has come. <see cref="TotalBytes"/> is null when the server does not say.</summary>
public readonly record struct DownloadProgress(string File, string Url, long BytesReceived, long? TotalBytes);
