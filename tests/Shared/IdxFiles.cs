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

    /// <summary>
    /// A small MNIST-layout data set of <paramref name="classes"/> classes in <paramref name="folder"/> (the four standard
    /// files, gzipped): class c is a bright horizontal bar at a height of its own, so a network learns it at once.
    /// </summary>
    public static void WriteDataset(string folder, int classes, int train = 300, int test = 60)
    {
        Directory.CreateDirectory(folder);
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % classes)).ToArray();
            var pixels = new byte[count * 28 * 28];
            for (int i = 0; i < count; i++)
            {
                int top = 2 + labels[i] * 24 / classes;
                for (int y = top; y < top + 3; y++)
                for (int x = 4; x < 24; x++) pixels[i * 784 + y * 28 + x] = (byte)(200 + (i * 7 + x) % 55);
            }
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), Gzip(Build(0x08, [count, 28, 28], pixels)));
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), Gzip(Build(0x08, [count], labels)));
        }
    }
}
