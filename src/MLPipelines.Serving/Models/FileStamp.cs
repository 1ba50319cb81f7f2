namespace MLPipelines.Serving.Models;

/// <summary>What tells a model file's versions apart cheaply: size and modification time.</summary>
public readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    /// <summary>The file's stamp, or null when it is gone.</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        try
        {
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
