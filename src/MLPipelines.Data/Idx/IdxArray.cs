namespace MLPipelines.Data.Idx;

/// <summary>The content of one IDX file: an unsigned-byte array of any rank, with the SHA-256 of the raw (decompressed) file.</summary>
public sealed class IdxArray(int[] shape, byte[] data, string sha256)
{
    public int[] Shape { get; } = shape;
    public byte[] Data { get; } = data;
    /// <summary>Lower-case hex SHA-256 of the decompressed file, header included (what checksum lists give).</summary>
    public string Sha256 { get; } = sha256;

    public int Count => Shape[0];
    /// <summary>Bytes per item: the product of every dimension after the first.</summary>
    public int ItemSize => Shape.Skip(1).Aggregate(1, (a, b) => a * b);
}
