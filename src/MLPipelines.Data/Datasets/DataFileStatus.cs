namespace MLPipelines.Data.Datasets;

/// <summary>
/// How a file's content compares with what is known of it. <see cref="Unknown"/>: no checksum is known (a data set
/// given as a folder). <see cref="Unverified"/>: only the .gz's MD5 is known and this copy is not that .gz (raw, or
/// recompressed), but it parses as IDX of the expected shape: usable, with a warning.
/// </summary>
public enum ChecksumResult { Verified, Mismatch, Unknown, Unverified }

/// <summary>What checking one file of a data set found.</summary>
public sealed record DataFileStatus(IdxFileSpec Spec, string? Path, ChecksumResult Checksum, string? Error, int[]? Shape)
{
    public bool Found => Path is not null;
    public bool Ok => Found && Error is null && Checksum != ChecksumResult.Mismatch;
    /// <summary>Present but unusable: corrupt, or not the expected content. Such a file is the user's: it is never replaced silently.</summary>
    public bool Bad => Found && !Ok;
}
