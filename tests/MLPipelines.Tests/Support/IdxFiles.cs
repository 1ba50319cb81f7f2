using System.IO.Compression;

namespace MLPipelines.Tests.Support;

/// <summary>Builds small IDX files (raw or gzipped) for reader tests.</summary>
public static class IdxFiles
{
    public static byte[] Build(byte type, int[] shape, byte[] data)
    {
        using var m = new MemoryStream();
        m.Write([0, 0, type, (byte)shape.Length]);
        foreach (int d in shape) m.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        m.Write(data);
        return m.ToArray();
    }

    public static byte[] Images(int count, int rows = 28, int cols = 28, byte fill = 7) =>
        Build(0x08, [count, rows, cols], Enumerable.Repeat(fill, count * rows * cols).ToArray());

    public static byte[] Labels(params byte[] labels) => Build(0x08, [labels.Length], labels);

    public static byte[] Gzip(byte[] raw)
    {
        using var m = new MemoryStream();
        using (var gz = new GZipStream(m, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return m.ToArray();
    }
}
