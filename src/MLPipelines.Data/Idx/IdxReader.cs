using System.IO.Compression;
using System.Security.Cryptography;

namespace MLPipelines.Data.Idx;

/// <summary>
/// Reads IDX files (the MNIST format, also used by Fashion-MNIST and KMNIST), gzip-compressed or raw.
/// Header: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions, then each
/// dimension as a big-endian int32. Every check failure is an <see cref="IdxFormatException"/>.
/// Files are read as a stream and never past what the header promises (plus one byte to detect trailing data), so a
/// gzip bomb or a huge file costs no more memory than the array it claims to hold, which is itself bounded.
/// </summary>
public static class IdxReader
{
    const byte UnsignedByte = 0x08;
    const int MaxDimensions = 4;
    /// <summary>The largest array read: over 2 GB would not fit a .NET array, and no MNIST-layout set comes near.</summary>
    public const long MaxBytes = 2_000_000_000;

    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new IdxFormatException($"{path}: file not found");
        try
        {
            using var file = File.OpenRead(path);
            int b0 = file.ReadByte(), b1 = file.ReadByte();
            file.Position = 0;
            using Stream content = b0 == 0x1f && b1 == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
            return Read(content, path);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"{path}: corrupt gzip data ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>Parses an IDX file already in memory (decompressed).</summary>
    public static IdxArray Parse(byte[] raw, string name)
    {
        using var stream = new MemoryStream(raw, writable: false);
        return Read(stream, name);
    }

    /// <summary>Reads one IDX array from a decompressed stream, which must end with it.</summary>
    public static IdxArray Read(Stream stream, string name)
    {
        Span<byte> head = stackalloc byte[4 + 4 * MaxDimensions];
        int got = stream.ReadAtLeast(head[..4], 4, throwOnEndOfStream: false);
        if (got < 4) throw new IdxFormatException($"{name}: truncated: {got} bytes, too short for an IDX header");
        if (head[0] != 0 || head[1] != 0)
            throw new IdxFormatException($"{name}: bad magic number 0x{head[0]:x2}{head[1]:x2}{head[2]:x2}{head[3]:x2}, not an IDX file");
        if (head[2] != UnsignedByte)
            throw new IdxFormatException($"{name}: element type 0x{head[2]:x2} is not supported (only unsigned byte, 0x08)");
        int rank = head[3];
        if (rank < 1 || rank > MaxDimensions)
            throw new IdxFormatException($"{name}: {rank} dimensions; expected 1 to {MaxDimensions}");
        int header = 4 + 4 * rank;
        got += stream.ReadAtLeast(head[4..header], header - 4, throwOnEndOfStream: false);
        if (got < header) throw new IdxFormatException($"{name}: truncated header ({got} of {header} bytes)");

        var shape = new int[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = (head[4 + 4 * d] << 24) | (head[5 + 4 * d] << 16) | (head[6 + 4 * d] << 8) | head[7 + 4 * d];
            if (shape[d] <= 0) throw new IdxFormatException($"{name}: dimension {d} is {shape[d]}");
            expected *= shape[d];
            if (expected > MaxBytes)
                throw new IdxFormatException($"{name}: the header claims {string.Join('x', shape[..(d + 1)])}... items, over the {MaxBytes:N0}-byte limit");
        }
        var data = new byte[expected];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < expected)
            throw new IdxFormatException($"{name}: truncated: {read:N0} data bytes, the header promises {expected:N0} ({string.Join('x', shape)})");
        if (stream.ReadByte() >= 0)
            throw new IdxFormatException($"{name}: trailing data after {string.Join('x', shape)} items");

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(head[..header]);
        sha.AppendData(data);
        return new IdxArray(shape, data, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
