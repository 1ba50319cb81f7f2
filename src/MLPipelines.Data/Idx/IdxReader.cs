using System.IO.Compression;
using System.Security.Cryptography;

namespace MLPipelines.Data.Idx;

/// <summary>
/// Reads IDX files (the MNIST format, also used by Fashion-MNIST and KMNIST), gzip-compressed or raw.
/// Header: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions, then each
/// dimension as a big-endian int32. Every check failure is an <see cref="IdxFormatException"/>.
/// </summary>
public static class IdxReader
{
    const byte UnsignedByte = 0x08;
    const int MaxDimensions = 4;

    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new IdxFormatException($"{path}: file not found");
        byte[] raw;
        try
        {
            raw = Decompress(path);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"{path}: corrupt gzip data ({e.Message.TrimEnd('.')})");
        }
        return Parse(raw, path);
    }

    /// <summary>Parses an IDX file already in memory (decompressed).</summary>
    public static IdxArray Parse(byte[] raw, string name)
    {
        if (raw.Length < 4) throw new IdxFormatException($"{name}: truncated: {raw.Length} bytes, too short for an IDX header");
        if (raw[0] != 0 || raw[1] != 0)
            throw new IdxFormatException($"{name}: bad magic number 0x{raw[0]:x2}{raw[1]:x2}{raw[2]:x2}{raw[3]:x2}, not an IDX file");
        if (raw[2] != UnsignedByte)
            throw new IdxFormatException($"{name}: element type 0x{raw[2]:x2} is not supported (only unsigned byte, 0x08)");
        int rank = raw[3];
        if (rank < 1 || rank > MaxDimensions)
            throw new IdxFormatException($"{name}: {rank} dimensions; expected 1 to {MaxDimensions}");
        int header = 4 + 4 * rank;
        if (raw.Length < header) throw new IdxFormatException($"{name}: truncated header ({raw.Length} of {header} bytes)");

        var shape = new int[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = (raw[4 + 4 * d] << 24) | (raw[5 + 4 * d] << 16) | (raw[6 + 4 * d] << 8) | raw[7 + 4 * d];
            if (shape[d] <= 0) throw new IdxFormatException($"{name}: dimension {d} is {shape[d]}");
            expected *= shape[d];
        }
        long actual = raw.Length - header;
        if (actual < expected)
            throw new IdxFormatException($"{name}: truncated: {actual:N0} data bytes, the header promises {expected:N0} ({string.Join('x', shape)})");
        if (actual > expected)
            throw new IdxFormatException($"{name}: {actual - expected:N0} bytes of trailing data after {string.Join('x', shape)} items");

        var data = new byte[expected];
        Buffer.BlockCopy(raw, header, data, 0, (int)expected);
        return new IdxArray(shape, data, Convert.ToHexStringLower(SHA256.HashData(raw)));
    }

    /// <summary>The file's bytes, gunzipped when they start with the gzip magic number.</summary>
    public static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        int b0 = file.ReadByte(), b1 = file.ReadByte();
        file.Position = 0;
        using var output = new MemoryStream();
        if (b0 == 0x1f && b1 == 0x8b)
        {
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            gz.CopyTo(output);
        }
        else
        {
            file.CopyTo(output);
        }
        return output.ToArray();
    }
}
