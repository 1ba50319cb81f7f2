using System.Runtime.Intrinsics;

namespace MLPipelines.Models;

public static partial class FastConv
{
    private static bool PairsFit(Shape s) => s.Kw <= 5 && s.OutW >= 8 && Vector256.IsHardwareAccelerated;

    /// <summary>Output channels <paramref name="oc"/> and oc + 1 (or oc alone when it is the last), every input channel.</summary>
    private static unsafe void WeightGradientPair(float* x, float* g, float* gradWeight, Shape s, int oc)
    {
        long size = s.InChannels * s.Kh * s.Kw;
        bool alone = oc + 1 >= s.Channels;
        for (long ic = 0; ic < s.InChannels; ic++)
        {
            float* taps0 = gradWeight + oc * size + ic * s.Kh * s.Kw;
            float* taps1 = alone ? null : taps0 + size;
            float* plane = x + ic * s.H * s.W;
            bool tail = s.OutW % 8 != 0;
            if (WideFits(s))
            {
                switch (s.Kw)
                {
                    case 1: PairRowsWide<One>(plane, g, taps0, taps1, s, oc); break;
                    case 2: PairRowsWide<Two>(plane, g, taps0, taps1, s, oc); break;
                    case 3: PairRowsWide<Three>(plane, g, taps0, taps1, s, oc); break;
                    case 4: PairRowsWide<Four>(plane, g, taps0, taps1, s, oc); break;
                    default: PairRowsWide<Five>(plane, g, taps0, taps1, s, oc); break;
                }
                continue;
            }
            switch (s.Kw)
            {
                case 1: if (tail) PairRows<One, Yes>(plane, g, taps0, taps1, s, oc); else PairRows<One, No>(plane, g, taps0, taps1, s, oc); break;
                case 2: if (tail) PairRows<Two, Yes>(plane, g, taps0, taps1, s, oc); else PairRows<Two, No>(plane, g, taps0, taps1, s, oc); break;
                case 3: if (tail) PairRows<Three, Yes>(plane, g, taps0, taps1, s, oc); else PairRows<Three, No>(plane, g, taps0, taps1, s, oc); break;
                case 4: if (tail) PairRows<Four, Yes>(plane, g, taps0, taps1, s, oc); else PairRows<Four, No>(plane, g, taps0, taps1, s, oc); break;
                default: if (tail) PairRows<Five, Yes>(plane, g, taps0, taps1, s, oc); else PairRows<Five, No>(plane, g, taps0, taps1, s, oc); break;
            }
        }
    }

    /// <summary>
    /// Two output channels' taps for one input channel (<paramref name="x"/>: its plane of image 0), kernels up to 5 wide
    /// (<typeparamref name="TWidth"/>), rows at least 8 long: each 8-wide block of a gradient row is loaded once for
    /// the taps of a kernel row, whose sums for both channels stay in registers; each input load serves both. A row
    /// that is not a multiple of 8 (<typeparamref name="TTail"/>) ends with a block overlapping the one before it, the
    /// lanes already summed masked off. Alone (<paramref name="taps1"/> null), the second channel's sums are the first's
    /// again and are not stored. Each sum runs over images, rows and columns in one order.
    /// </summary>
    private static unsafe void PairRows<TWidth, TTail>(float* x, float* g, float* taps0, float* taps1, Shape s, int oc)
        where TWidth : struct, IConstant where TTail : struct, IConstant
    {
        int kw = TWidth.Value;   // a constant in each instantiation: the unused taps' code is not there
        long outH = s.OutH, outW = s.OutW, imageSize = s.InChannels * s.H * s.W, plane = outH * outW;
        long second = taps1 is null ? 0 : plane, last = outW - 8;
        var fresh = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((int)(outW / 8 * 8 - last))).AsSingle();
        for (long ki = 0; ki < s.Kh; ki++)
        {
            Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default;
            Vector256<float> u0 = default, u1 = default, u2 = default, u3 = default, u4 = default;
            for (long b = 0; b < s.Batch; b++)
            {
                float* image = x + b * imageSize + ki * s.W;
                float* grad = g + (b * s.Channels + oc) * plane;
                for (long i = 0; i < outH; i++)
                {
                    float* gRow = grad + i * outW, xRow = image + i * s.W;
                    for (long j = 0; j < outW; j += 8)
                    {
                        long at = TTail.Value == 1 ? Math.Min(j, last) : j;
                        var gv = Vector256.Load(gRow + at);
                        var hv = Vector256.Load(gRow + second + at);
                        if (TTail.Value == 1 && at != j)
                        {
                            gv &= fresh;
                            hv &= fresh;
                        }
                        float* xs = xRow + at;
                        var x0 = Vector256.Load(xs);
                        t0 = MultiplyAdd(gv, x0, t0);
                        u0 = MultiplyAdd(hv, x0, u0);
                        if (kw < 2) continue;
                        var x1 = Vector256.Load(xs + 1);
                        t1 = MultiplyAdd(gv, x1, t1);
                        u1 = MultiplyAdd(hv, x1, u1);
                        if (kw < 3) continue;
                        var x2 = Vector256.Load(xs + 2);
                        t2 = MultiplyAdd(gv, x2, t2);
                        u2 = MultiplyAdd(hv, x2, u2);
                        if (kw < 4) continue;
                        var x3 = Vector256.Load(xs + 3);
                        t3 = MultiplyAdd(gv, x3, t3);
                        u3 = MultiplyAdd(hv, x3, u3);
                        if (kw < 5) continue;
                        var x4 = Vector256.Load(xs + 4);
                        t4 = MultiplyAdd(gv, x4, t4);
                        u4 = MultiplyAdd(hv, x4, u4);
                    }
                }
            }
            StoreRow(taps0 + ki * kw, kw, t0, t1, t2, t3, t4);
            if (taps1 is not null) StoreRow(taps1 + ki * kw, kw, u0, u1, u2, u3, u4);
        }
    }

    /// <summary>A kernel row's taps (the first <paramref name="kw"/> sums): each vector sum's lanes added.</summary>
    private static unsafe void StoreRow(float* row, int kw, Vector256<float> t0, Vector256<float> t1, Vector256<float> t2, Vector256<float> t3, Vector256<float> t4)
    {
        row[0] = Vector256.Sum(t0);
        if (kw > 1) row[1] = Vector256.Sum(t1);
        if (kw > 2) row[2] = Vector256.Sum(t2);
        if (kw > 3) row[3] = Vector256.Sum(t3);
        if (kw > 4) row[4] = Vector256.Sum(t4);
    }

    /// <summary>A number fixed by a type, so that the JIT compiles each instantiation with it as a constant.</summary>
    private interface IConstant
    {
        static abstract int Value { get; }
    }

    private struct No : IConstant { public static int Value => 0; }
    private struct Yes : IConstant { public static int Value => 1; }
    private struct One : IConstant { public static int Value => 1; }
    private struct Two : IConstant { public static int Value => 2; }
    private struct Three : IConstant { public static int Value => 3; }
    private struct Four : IConstant { public static int Value => 4; }
    private struct Five : IConstant { public static int Value => 5; }
}
