using System.Buffers.Binary;
using System.IO.Compression;

namespace MLPipelines.Core.Imaging;

/// <summary>
/// Reads a non-interlaced PNG one row at a time, as premultiplied RGBA, for images too large to decode whole:
/// SkiaSharp's PNG codec decodes only into a full-size buffer. Every colour type and bit depth of the PNG standard
/// (palette and tRNS transparency included); 16-bit samples keep their high byte. Interlaced (Adam7) images are not
/// read here (see <see cref="IsInterlaced"/>).
/// </summary>
internal static class PngRows
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsInterlaced(ReadOnlySpan<byte> png) => png.Length > 28 && png[..8].SequenceEqual(Signature) && png[28] != 0;

    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.Length > 8 && bytes[..8].SequenceEqual(Signature);

    /// <summary>
    /// Calls <paramref name="row"/> with each row, top to bottom (premultiplied RGBA, width x 4 bytes); returns the rows
    /// read (fewer than the height when the data ends early). Throws <see cref="InvalidDataException"/> for what is not
    /// a PNG this reads.
    /// </summary>
    public static int Read(ReadOnlyMemory<byte> png, Action<ReadOnlySpan<byte>> row)
    {
        var span = png.Span;
        if (!IsPng(span)) throw new InvalidDataException("not a PNG");
        var header = new Header();
        byte[]? palette = null, alphas = null;
        int? grayKey = null;
        (int R, int G, int B)? rgbKey = null;
        var idat = new List<ReadOnlyMemory<byte>>();
        for (int at = 8; at + 12 <= span.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(span[at..]);
            if (length < 0 || at + 12L + length > span.Length) break; // truncated: read what is there
            var type = span.Slice(at + 4, 4);
            var data = png.Slice(at + 8, length);
            var d = data.Span;
            if (type.SequenceEqual("IHDR"u8)) header = Header.Parse(d);
            else if (type.SequenceEqual("PLTE"u8)) palette = d.ToArray();
            else if (type.SequenceEqual("tRNS"u8))
            {
                if (header.ColorType == 3) alphas = d.ToArray();
                else if (header.ColorType == 0 && d.Length >= 2) grayKey = BinaryPrimitives.ReadUInt16BigEndian(d);
                else if (header.ColorType == 2 && d.Length >= 6)
                    rgbKey = (BinaryPrimitives.ReadUInt16BigEndian(d), BinaryPrimitives.ReadUInt16BigEndian(d[2..]), BinaryPrimitives.ReadUInt16BigEndian(d[4..]));
            }
            else if (type.SequenceEqual("IDAT"u8)) idat.Add(data);
            else if (type.SequenceEqual("IEND"u8)) break;
            at += 12 + length;
        }
        if (header.Width < 1) throw new InvalidDataException("no IHDR chunk");
        if (header.Interlace != 0) throw new InvalidDataException("interlaced PNG");
        if (header.ColorType == 3 && palette is null) throw new InvalidDataException("palette image without a palette");

        int channels = header.ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new InvalidDataException($"colour type {header.ColorType}") };
        int bits = header.BitDepth;
        long stride = ((long)header.Width * channels * bits + 7) / 8;
        if (stride > int.MaxValue / 2) throw new InvalidDataException("rows too long");
        int bpp = Math.Max(1, channels * bits / 8);
        var current = new byte[stride + 1];
        var previous = new byte[stride + 1];
        var rgba = new byte[header.Width * 4];
        using var inflate = new ZLibStream(new ChunkStream(idat), CompressionMode.Decompress);
        int rows = 0;
        try
        {
            for (; rows < header.Height; rows++)
            {
                if (inflate.ReadAtLeast(current, current.Length, throwOnEndOfStream: false) < current.Length) break;
                Unfilter(current, previous, bpp);
                ToRgba(current.AsSpan(1), rgba, header, palette, alphas, grayKey, rgbKey);
                row(rgba);
                (current, previous) = (previous, current);
            }
        }
        catch (InvalidDataException) when (rows > 0)
        {
            // Corrupt data after some rows: keep those, as a decoder does with a truncated file.
        }
        return rows;
    }

    private static void Unfilter(byte[] line, byte[] prior, int bpp)
    {
        var cur = line.AsSpan(1);
        var up = prior.AsSpan(1);
        switch (line[0])
        {
            case 0: break;
            case 1:
                for (int i = bpp; i < cur.Length; i++) cur[i] += cur[i - bpp];
                break;
            case 2:
                for (int i = 0; i < cur.Length; i++) cur[i] += up[i];
                break;
            case 3:
                for (int i = 0; i < cur.Length; i++) cur[i] += (byte)(((i >= bpp ? cur[i - bpp] : 0) + up[i]) >> 1);
                break;
            case 4:
                for (int i = 0; i < cur.Length; i++)
                {
                    int a = i >= bpp ? cur[i - bpp] : 0, b = up[i], c = i >= bpp ? up[i - bpp] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    cur[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                break;
            default: throw new InvalidDataException($"filter type {line[0]}");
        }
    }

    private static void ToRgba(ReadOnlySpan<byte> s, byte[] rgba, Header h, byte[]? palette, byte[]? alphas, int? grayKey, (int R, int G, int B)? rgbKey)
    {
        int bits = h.BitDepth;
        for (int x = 0; x < h.Width; x++)
        {
            int r, g, b, a = 255;
            switch (h.ColorType)
            {
                case 0:
                {
                    int v = Sample(s, x, bits);
                    if (grayKey == v) a = 0;
                    r = g = b = Scale(v, bits);
                    break;
                }
                case 2:
                {
                    int vr = Sample(s, 3 * x, bits), vg = Sample(s, 3 * x + 1, bits), vb = Sample(s, 3 * x + 2, bits);
                    if (rgbKey is { } k && k.R == vr && k.G == vg && k.B == vb) a = 0;
                    (r, g, b) = (Scale(vr, bits), Scale(vg, bits), Scale(vb, bits));
                    break;
                }
                case 3:
                {
                    int i = Sample(s, x, bits);
                    if (3 * i + 2 < palette!.Length) (r, g, b) = (palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]);
                    else r = g = b = 0;
                    if (alphas is not null && i < alphas.Length) a = alphas[i];
                    break;
                }
                case 4:
                    r = g = b = Scale(Sample(s, 2 * x, bits), bits);
                    a = Scale(Sample(s, 2 * x + 1, bits), bits);
                    break;
                default:
                    (r, g, b, a) = (Scale(Sample(s, 4 * x, bits), bits), Scale(Sample(s, 4 * x + 1, bits), bits),
                        Scale(Sample(s, 4 * x + 2, bits), bits), Scale(Sample(s, 4 * x + 3, bits), bits));
                    break;
            }
            int o = 4 * x;
            rgba[o] = (byte)((r * a + 127) / 255);
            rgba[o + 1] = (byte)((g * a + 127) / 255);
            rgba[o + 2] = (byte)((b * a + 127) / 255);
            rgba[o + 3] = (byte)a;
        }
    }

    /// <summary>The index-th sample of a row of <paramref name="bits"/>-bit samples (1, 2, 4, 8 or 16; big-endian).</summary>
    private static int Sample(ReadOnlySpan<byte> s, int index, int bits) => bits switch
    {
        8 => s[index],
        16 => (s[2 * index] << 8) | s[2 * index + 1],
        _ => (s[index * bits / 8] >> (8 - bits - index * bits % 8)) & ((1 << bits) - 1),
    };

    private static int Scale(int v, int bits) => bits switch
    {
        8 => v,
        16 => v >> 8,
        _ => v * 255 / ((1 << bits) - 1),
    };

    private readonly record struct Header(int Width, int Height, int BitDepth, int ColorType, int Interlace)
    {
        public static Header Parse(ReadOnlySpan<byte> d)
        {
            if (d.Length < 13) throw new InvalidDataException("short IHDR");
            var h = new Header(BinaryPrimitives.ReadInt32BigEndian(d), BinaryPrimitives.ReadInt32BigEndian(d[4..]), d[8], d[9], d[12]);
            bool valid = h.ColorType switch
            {
                0 => h.BitDepth is 1 or 2 or 4 or 8 or 16,
                3 => h.BitDepth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => h.BitDepth is 8 or 16,
                _ => false,
            };
            if (!valid || h.Width < 1 || h.Height < 1) throw new InvalidDataException($"unsupported IHDR ({h.Width}x{h.Height}, depth {h.BitDepth}, colour type {h.ColorType})");
            return h;
        }
    }

    /// <summary>The IDAT chunks' data as one stream.</summary>
    private sealed class ChunkStream(List<ReadOnlyMemory<byte>> chunks) : Stream
    {
        private int chunk, offset;

        public override int Read(byte[] buffer, int start, int count) => Read(buffer.AsSpan(start, count));

        public override int Read(Span<byte> buffer)
        {
            while (chunk < chunks.Count && offset == chunks[chunk].Length)
            {
                chunk++;
                offset = 0;
            }
            if (chunk == chunks.Count) return 0;
            int n = Math.Min(buffer.Length, chunks[chunk].Length - offset);
            chunks[chunk].Span.Slice(offset, n).CopyTo(buffer);
            offset += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
