namespace MLPipelines.Data.Datasets;

public enum ChecksumResult { Verified, Mismatch, Unknown }

/// <summary>What checking one file of a data set found.</summary>
public sealed record DataFileStatus(IdxFileSpec Spec, string? Path, ChecksumResult Checksum, string? Error, int[]? Shape)
{
    public bool Found => Path is not null;
    public bool Ok => Found && Error is null && Checksum != ChecksumResult.Mismatch;
}
