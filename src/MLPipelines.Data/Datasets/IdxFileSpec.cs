namespace MLPipelines.Data.Datasets;

/// <summary>
/// One file of an IDX data set. Checksums are optional: <see cref="Sha256"/> is of the decompressed content
/// (independent of how the .gz was made), <see cref="GzipMd5"/> of the compressed file as the mirrors serve it
/// (the value torchvision checks). <see cref="Shape"/>, when known, is the array's expected shape: it lets a copy
/// that cannot be verified (a recompressed .gz of an MD5-only data set) be accepted as unverified.
/// </summary>
public sealed record IdxFileSpec(string Name, string? Sha256 = null, string? GzipMd5 = null, int[]? Shape = null)
{
    public string GzipName => Name + ".gz";

    public bool HasChecksum => Sha256 is not null || GzipMd5 is not null;

    /// <summary>True when <paramref name="shape"/> is the expected one (or none is known).</summary>
    public bool ShapeMatches(int[] shape) => Shape is null || shape.AsSpan().SequenceEqual(Shape);
}
