using SkiaSharp;

namespace MLPipelines.Core.Imaging;

/// <summary>
/// Shrinks an image by a whole factor as its rows arrive: each output pixel is the mean of a factor x factor block
/// (fewer at the right and bottom edges), averaged with premultiplied alpha so transparent pixels lend no colour.
/// Holds one output row of sums, so a 20,000-pixel-wide row costs its own bytes and no more.
/// </summary>
internal sealed class BoxReduction
{
    private readonly int width, factor;
    private readonly long[] sums;
    private readonly byte[] output;
    private int rowsInBlock, outputRow;

    public BoxReduction(int width, int height, int factor)
    {
        this.width = width;
        this.factor = factor;
        OutputWidth = (width + factor - 1) / factor;
        OutputHeight = (height + factor - 1) / factor;
        sums = new long[OutputWidth * 4];
        output = new byte[OutputWidth * OutputHeight * 4];
    }

    public int OutputWidth { get; }
    public int OutputHeight { get; }

    /// <summary>The factor that brings width x height to at most about <paramref name="pixels"/> pixels.</summary>
    public static int FactorFor(int width, int height, long pixels) =>
        Math.Max(1, (int)Math.Ceiling(Math.Sqrt((double)width * height / pixels)));

    /// <summary>Adds the next source row (premultiplied RGBA, <c>width</c> pixels), in order from the top.</summary>
    public void AddRow(ReadOnlySpan<byte> premultipliedRgba)
    {
        for (int x = 0, o = 0; x < width; o += 4)
        {
            int end = Math.Min(width, x + factor);
            long r = 0, g = 0, b = 0, a = 0;
            for (; x < end; x++)
            {
                int i = 4 * x;
                r += premultipliedRgba[i];
                g += premultipliedRgba[i + 1];
                b += premultipliedRgba[i + 2];
                a += premultipliedRgba[i + 3];
            }
            sums[o] += r;
            sums[o + 1] += g;
            sums[o + 2] += b;
            sums[o + 3] += a;
        }
        if (++rowsInBlock == factor) FlushRow();
    }

    /// <summary>The reduced image (unpremultiplied RGBA); rows never added stay transparent.</summary>
    public SKBitmap Finish()
    {
        if (rowsInBlock > 0) FlushRow();
        var bitmap = new SKBitmap(new SKImageInfo(OutputWidth, OutputHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        nint pixels = bitmap.GetPixels();
        for (int y = 0; y < OutputHeight; y++)
            System.Runtime.InteropServices.Marshal.Copy(output, y * OutputWidth * 4, pixels + y * bitmap.RowBytes, OutputWidth * 4);
        return bitmap;
    }

    private void FlushRow()
    {
        if (outputRow >= OutputHeight) return;
        var row = output.AsSpan(outputRow * OutputWidth * 4, OutputWidth * 4);
        for (int x = 0, o = 0; x < OutputWidth; x++, o += 4)
        {
            long n = (long)Math.Min(factor, width - x * factor) * rowsInBlock;
            long a = sums[o + 3];
            row[o + 3] = (byte)((a + n / 2) / n);
            if (a > 0)
            {
                // Mean of premultiplied colour over mean alpha = the colour of the covered part.
                row[o] = (byte)Math.Min(255, (sums[o] * 255 + a / 2) / a);
                row[o + 1] = (byte)Math.Min(255, (sums[o + 1] * 255 + a / 2) / a);
                row[o + 2] = (byte)Math.Min(255, (sums[o + 2] * 255 + a / 2) / a);
            }
            else
            {
                row[o] = row[o + 1] = row[o + 2] = 0;
            }
        }
        Array.Clear(sums);
        rowsInBlock = 0;
        outputRow++;
    }
}
