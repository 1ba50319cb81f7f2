using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Models;

public static partial class FastConv
{
    /// <summary>
    /// Whether the convolutions use 16-wide (AVX-512) vectors where the CPU has them and the shapes fit (the default),
    /// else 8-wide (AVX2) ones everywhere: a switch for comparing the two. Both sum each output's terms in one order, but
    /// a weight gradient's partial sums differ with the width, so the last bits of training differ between them.
    /// </summary>
    public static bool WideVectors { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Whether the 16-wide (AVX-512) loops fit: output rows a multiple of 8 long and output planes of a multiple of 16,
    /// so that each vector holds two 8-wide row blocks of the plane (the next block may start the next row).
    /// </summary>
    private static bool WideFits(Shape s) => Wide && s.OutW % 8 == 0 && s.OutH * s.OutW % 16 == 0;

    /// <summary>Whether the 16-wide loops are on and the CPU has them.</summary>
    private static bool Wide => WideVectors && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Walks an output plane's 8-wide row blocks in order, giving each one's offset in the input: where the input
    /// under its first output (the top-left tap) starts.
    /// </summary>
    private struct Blocks(Shape s)
    {
        private readonly long outW = s.OutW, w = s.W;
        private long row, column;

        /// <summary>The current block's input offset; moves on to the next block.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Next()
        {
            long at = row + column;
            column += 8;
            if (column == outW)
            {
                column = 0;
                row += w;
            }
            return at;
        }
    }

    /// <summary>Two 8-wide loads as one vector (the second into the upper half, without depending on an earlier vector).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Load(float* low, float* high) =>
        Avx512F.InsertVector256(Vector256.Load(low).ToVector512Unsafe(), Vector256.Load(high), 1);

    /// <summary>
    /// <see cref="ForwardImage"/> 16 outputs per vector: four output channels at two vectors (32 outputs of the plane),
    /// eight sums in registers; each vector of input is two 8-wide rows' loads. The same terms in the same order.
    /// </summary>
    private static unsafe void ForwardImageWide(float* x, float* w, float* bias, float* y, Shape s, long b)
    {
        long perChannel = s.InChannels * s.Kh * s.Kw, plane = s.OutH * s.OutW, vectors = plane / 16;
        float* image = x + b * s.InChannels * s.H * s.W;
        float* output = y + b * s.Channels * plane;
        for (long oc = 0; oc < s.Channels; oc += 4)
        {
            var block = new ChannelBlock(w, bias, oc, s.Channels, perChannel);
            float* y0 = output + oc * plane;
            var blocks = new Blocks(s);
            for (long p = 0; p < vectors; p += 2)
            {
                long q = Math.Min(p + 1, vectors - 1);
                float* low0 = image + blocks.Next(), high0 = image + blocks.Next();
                float* low1 = low0, high1 = high0;
                if (q != p)
                {
                    low1 = image + blocks.Next();
                    high1 = image + blocks.Next();
                }
                AccumulateWide(block, low0, high0, low1, high1, s,
                    out var a0, out var a1, out var a2, out var a3, out var c0, out var c1, out var c2, out var c3);
                StoreWide(y0 + 16 * p, plane, block.Count, a0, a1, a2, a3);
                if (q != p) StoreWide(y0 + 16 * q, plane, block.Count, c0, c1, c2, c3);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AccumulateWide(in ChannelBlock k, float* low0, float* high0, float* low1, float* high1, Shape s,
        out Vector512<float> a0, out Vector512<float> a1, out Vector512<float> a2, out Vector512<float> a3,
        out Vector512<float> c0, out Vector512<float> c1, out Vector512<float> c2, out Vector512<float> c3)
    {
        long kh = s.Kh, kw = s.Kw, taps = kh * kw;
        a0 = c0 = Vector512.Create(k.B0);
        a1 = c1 = Vector512.Create(k.B1);
        a2 = c2 = Vector512.Create(k.B2);
        a3 = c3 = Vector512.Create(k.B3);
        for (long ic = 0; ic < s.InChannels; ic++)
            for (long ki = 0; ki < kh; ki++)
            {
                long offset = (ic * s.H + ki) * s.W, t = ic * taps + ki * kw;
                float* l0 = low0 + offset, h0 = high0 + offset, l1 = low1 + offset, h1 = high1 + offset;
                for (long kj = 0; kj < kw; kj++)
                {
                    var v = Load(l0 + kj, h0 + kj);
                    var u = Load(l1 + kj, h1 + kj);
                    var k0 = Vector512.Create(k.W0[t + kj]);
                    a0 = Vector512.FusedMultiplyAdd(k0, v, a0);
                    c0 = Vector512.FusedMultiplyAdd(k0, u, c0);
                    var k1 = Vector512.Create(k.W1[t + kj]);
                    a1 = Vector512.FusedMultiplyAdd(k1, v, a1);
                    c1 = Vector512.FusedMultiplyAdd(k1, u, c1);
                    var k2 = Vector512.Create(k.W2[t + kj]);
                    a2 = Vector512.FusedMultiplyAdd(k2, v, a2);
                    c2 = Vector512.FusedMultiplyAdd(k2, u, c2);
                    var k3 = Vector512.Create(k.W3[t + kj]);
                    a3 = Vector512.FusedMultiplyAdd(k3, v, a3);
                    c3 = Vector512.FusedMultiplyAdd(k3, u, c3);
                }
            }
    }

    private static unsafe void StoreWide(float* at, long plane, long n, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        a0.Store(at);
        if (n > 1) a1.Store(at + plane);
        if (n > 2) a2.Store(at + 2 * plane);
        if (n > 3) a3.Store(at + 3 * plane);
    }

    /// <summary>
    /// <see cref="PairRows{TWidth, TTail}"/> 16 outputs per vector: the two channels' gradient planes read as whole
    /// vectors, the input under them as two 8-wide rows' loads.
    /// </summary>
    private static unsafe void PairRowsWide<TWidth>(float* x, float* g, float* taps0, float* taps1, Shape s, int oc)
        where TWidth : struct, IConstant
    {
        int kw = TWidth.Value;
        long imageSize = s.InChannels * s.H * s.W, plane = s.OutH * s.OutW;
        long second = taps1 is null ? 0 : plane;
        for (long ki = 0; ki < s.Kh; ki++)
        {
            Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default;
            Vector512<float> u0 = default, u1 = default, u2 = default, u3 = default, u4 = default;
            for (long b = 0; b < s.Batch; b++)
            {
                float* image = x + b * imageSize + ki * s.W;
                float* grad = g + (b * s.Channels + oc) * plane;
                var blocks = new Blocks(s);
                for (long f = 0; f < plane; f += 16)
                {
                    var gv = Vector512.Load(grad + f);
                    var hv = Vector512.Load(grad + second + f);
                    float* low = image + blocks.Next(), high = image + blocks.Next();
                    var x0 = Load(low, high);
                    t0 = Vector512.FusedMultiplyAdd(gv, x0, t0);
                    u0 = Vector512.FusedMultiplyAdd(hv, x0, u0);
                    if (kw < 2) continue;
                    var x1 = Load(low + 1, high + 1);
                    t1 = Vector512.FusedMultiplyAdd(gv, x1, t1);
                    u1 = Vector512.FusedMultiplyAdd(hv, x1, u1);
                    if (kw < 3) continue;
                    var x2 = Load(low + 2, high + 2);
                    t2 = Vector512.FusedMultiplyAdd(gv, x2, t2);
                    u2 = Vector512.FusedMultiplyAdd(hv, x2, u2);
                    if (kw < 4) continue;
                    var x3 = Load(low + 3, high + 3);
                    t3 = Vector512.FusedMultiplyAdd(gv, x3, t3);
                    u3 = Vector512.FusedMultiplyAdd(hv, x3, u3);
                    if (kw < 5) continue;
                    var x4 = Load(low + 4, high + 4);
                    t4 = Vector512.FusedMultiplyAdd(gv, x4, t4);
                    u4 = Vector512.FusedMultiplyAdd(hv, x4, u4);
                }
            }
            StoreRowWide(taps0 + ki * kw, kw, t0, t1, t2, t3, t4);
            if (taps1 is not null) StoreRowWide(taps1 + ki * kw, kw, u0, u1, u2, u3, u4);
        }
    }

    private static unsafe void StoreRowWide(float* row, int kw, Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3, Vector512<float> t4)
    {
        row[0] = Vector512.Sum(t0);
        if (kw > 1) row[1] = Vector512.Sum(t1);
        if (kw > 2) row[2] = Vector512.Sum(t2);
        if (kw > 3) row[3] = Vector512.Sum(t3);
        if (kw > 4) row[4] = Vector512.Sum(t4);
    }

    /// <summary>
    /// <see cref="InputGradient"/> for gradient rows of up to 8 (padded to 8), two input rows per vector: gradient rows
    /// i and i + 1 are one 16-wide load, the padded plane being 8 wide. The gradient gets Kh - 1 zero rows above and
    /// below, so that both rows of a pair take the kernel rows either one needs (the other's extra terms are zeros);
    /// each input element sums its terms in the same order as the 8-wide loop.
    /// </summary>
    private static unsafe Tensor InputGradientWide(Tensor g, Tensor weight, Shape s)
    {
        long edge = s.Kh - 1;
        using var gp = F.pad(g, [0, 8 - s.OutW, edge, edge]);
        using var wc = FiveTaps(weight, s);
        var dx = empty([s.Batch, s.InChannels, s.H, s.W], dtype: ScalarType.Float32);
        IntPtr gq = THSTensor_data(gp.Handle), wp = THSTensor_data(wc.Handle), dp = THSTensor_data(dx.Handle);
        ForEachImage(s.Batch, b => InputGradientImageWide((float*)gq, (float*)wp, (float*)dp, s, b));
        return dx;
    }

    [SkipLocalsInit]
    private static unsafe void InputGradientImageWide(float* g, float* w, float* dx, Shape s, long b)
    {
        long edge = s.Kh - 1, plane = (s.OutH + 2 * edge) * 8, perChannel = s.InChannels * s.Kh * 5;
        float* grad = g + b * s.Channels * plane;
        // Four input rows' tap sums (two rows of two channels), each in WriteRow's layout ([tap][block], one block).
        var sums = stackalloc Vector256<float>[4 * 5 * MaxBlocks];
        for (long c = 0; c < s.InChannels; c += 2)
        {
            bool pair = c + 1 < s.InChannels;
            long next = pair ? s.Kh * 5 : 0;
            for (long y = 0; y < s.H; y += 2)
            {
                bool both = y + 1 < s.H;
                long first = Math.Max(0, y - s.OutH + 1), last = Math.Min(s.Kh - 1, both ? y + 1 : y);
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
                Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default, e4 = default;
                for (long ki = first; ki <= last; ki++)
                {
                    float* gRow = grad + (y - ki + edge) * 8;
                    float* k = w + (c * s.Kh + ki) * 5;
                    for (long o = 0; o < s.Channels; o++, gRow += plane, k += perChannel)
                    {
                        var gv = Vector512.Load(gRow);
                        a0 = Vector512.FusedMultiplyAdd(Vector512.Create(k[0]), gv, a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.Create(k[1]), gv, a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.Create(k[2]), gv, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.Create(k[3]), gv, a3);
                        a4 = Vector512.FusedMultiplyAdd(Vector512.Create(k[4]), gv, a4);
                        e0 = Vector512.FusedMultiplyAdd(Vector512.Create(k[next]), gv, e0);
                        e1 = Vector512.FusedMultiplyAdd(Vector512.Create(k[next + 1]), gv, e1);
                        e2 = Vector512.FusedMultiplyAdd(Vector512.Create(k[next + 2]), gv, e2);
                        e3 = Vector512.FusedMultiplyAdd(Vector512.Create(k[next + 3]), gv, e3);
                        e4 = Vector512.FusedMultiplyAdd(Vector512.Create(k[next + 4]), gv, e4);
                    }
                }
                // Every sum stored before the rows are written: no vector stays live across a call (which would spill
                // the sums inside the loop above).
                Halves(sums, a0, a1, a2, a3, a4);
                Halves(sums + 10 * MaxBlocks, e0, e1, e2, e3, e4);
                float* row0 = dx + ((b * s.InChannels + c) * s.H + y) * s.W;
                WriteRow(sums, 1, row0, s.W);
                if (both) WriteRow(sums + 5 * MaxBlocks, 1, row0 + s.W, s.W);
                if (!pair) continue;
                WriteRow(sums + 10 * MaxBlocks, 1, row0 + s.H * s.W, s.W);
                if (both) WriteRow(sums + 15 * MaxBlocks, 1, row0 + s.H * s.W + s.W, s.W);
            }
        }
    }

    /// <summary>The taps' lower halves (one input row's sums, WriteRow's layout) at <paramref name="sums"/>, the upper halves (the next row's) after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Halves(Vector256<float>* sums, Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3, Vector512<float> t4)
    {
        sums[0] = t0.GetLower(); sums[MaxBlocks] = t1.GetLower(); sums[2 * MaxBlocks] = t2.GetLower(); sums[3 * MaxBlocks] = t3.GetLower(); sums[4 * MaxBlocks] = t4.GetLower();
        sums += 5 * MaxBlocks;
        sums[0] = t0.GetUpper(); sums[MaxBlocks] = t1.GetUpper(); sums[2 * MaxBlocks] = t2.GetUpper(); sums[3 * MaxBlocks] = t3.GetUpper(); sums[4 * MaxBlocks] = t4.GetUpper();
    }
}
