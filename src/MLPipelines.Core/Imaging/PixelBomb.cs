using System.Buffers.Binary;
using System.IO.Compression;

namespace MLPipelines.Core.Imaging;

/// <summary>
/// A PNG that is small as a file and huge as pixels (6,000 x 6,000 compresses to about 53 KB): white paper with a
/// black square in the middle, 8-bit grayscale. Written row by row, so making one costs a row of memory. For the
/// memory benchmark and the tests of the decoding limits.
/// </summary>
public static class PixelBomb
{
    public static byte[] Png(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 3);
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth; colour type 0 (gray), compression 0, filter 0, interlace 0
        Chunk(png, "IHDR"u8, ihdr);

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var paper = new byte[width + 1];
            Array.Fill(paper, (byte)255, 1, width);
            var ink = (byte[])paper.Clone();
            Array.Fill(ink, (byte)0, 1 + width / 3, width / 3);
            for (int y = 0; y < height; y++) z.Write(y >= height / 3 && y < 2 * height / 3 ? ink : paper);
        }
        Chunk(png, "IDAT"u8, idat.ToArray());
        Chunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        s.Write(type);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(Crc32(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu);
        s.Write(word);
    }

    // PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), bit by bit: a few chunks per image.
    private static uint Crc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc;
    }
}
