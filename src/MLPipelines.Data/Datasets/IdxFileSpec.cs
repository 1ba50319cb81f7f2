namespace MLPipelines.Data.Datasets;

/// <summary>
/// One file of an IDX data set. Checksums are optional: <see cref="Sha256"/> is of the decompressed content
/// (independent of how the .gz was made), <see cref="GzipMd5"/> of the compressed file as the mirrors serve it
/// (the value torchvision checks).
/// </summary>
public sealed record IdxFileSpec(string Name, string? Sha256 = null, string? GzipMd5 = null)
{
    public string GzipName => Name + ".gz";
}
