using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Models;

public static partial class FastConv
{
    private static bool InputGradientFits(Shape s) => s.Kw <= 5 && PaddedWidth(s) <= 8 * MaxBlocks && Avx2.IsSupported;

    // Vector columns of a gradient row the input gradient keeps on the stack (rows up to 256 long).
    private const int MaxBlocks = 32;

    private static long PaddedWidth(Shape s) => (s.OutW + 7) / 8 * 8;

    /// <summary>
    /// dL/dx of a stride-1 unpadded convolution with kernels up to 5 wide, the images split between the threads. Each
    /// input row is written once: for two input channels at a time, five column taps' sums over (kernel row, output
    /// channel) stay in ten registers per 8-wide block of the gradient row, then are shifted into place across blocks and
    /// added. Narrower kernels get zero taps and gradient rows zero columns up to a multiple of 8. Each input element
    /// sums its terms in one fixed order (tap column, then kernel row and output channel).
    /// </summary>
    private static unsafe Tensor InputGradient(Tensor g, Tensor weight, Shape s)
    {
        long padded = PaddedWidth(s);
        if (padded == 8 && Wide) return InputGradientWide(g, weight, s);
        using var gp = padded == s.OutW ? g.alias() : F.pad(g, [0, padded - s.OutW]);
        using var wc = FiveTaps(weight, s);
        var dx = empty([s.Batch, s.InChannels, s.H, s.W], dtype: ScalarType.Float32);
        IntPtr gq = THSTensor_data(gp.Handle), wp = THSTensor_data(wc.Handle), dp = THSTensor_data(dx.Handle);
        var at = s with { W = padded + s.Kw - 1 };   // the padded gradient's shape: OutW = padded
        ForEachImage(s.Batch, b => InputGradientImage((float*)gq, (float*)wp, (float*)dp, at, b, s.W));
        return dx;
    }

    /// <summary>The weights with their kernel rows padded to 5 taps (zeros on the right), contiguous.</summary>
    private static Tensor FiveTaps(Tensor weight, Shape s) => s.Kw == 5 ? weight.detach().contiguous() : F.pad(weight.detach(), [0, 5 - s.Kw]);

    /// <param name="s">The shape with the gradient's rows padded (OutW a multiple of 8).</param>
    /// <param name="width">The input's real row length (dx's row stride).</param>
    private static unsafe void InputGradientImage(float* g, float* w, float* dx, Shape s, long b, long width)
    {
        long plane = s.OutH * s.OutW, blocks = s.OutW / 8;
        float* grad = g + b * s.Channels * plane;
        // Per block and tap column, the two channels' sums: [channel][tap][block].
        var sums = stackalloc Vector256<float>[2 * 5 * MaxBlocks];
        for (long c = 0; c < s.InChannels; c += 2)
        {
            bool pair = c + 1 < s.InChannels;
            for (long y = 0; y < s.H; y++)
            {
                // Kernel rows that reach input row y from a gradient row i = y - ki inside the output.
                long first = Math.Max(0, y - s.OutH + 1), last = Math.Min(s.Kh - 1, y);
                for (long block = 0; block < blocks; block++)
                {
                    Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
                    Vector256<float> e0 = default, e1 = default, e2 = default, e3 = default, e4 = default;
                    for (long ki = first; ki <= last; ki++)
                    {
                        float* gRow = grad + (y - ki) * s.OutW + block * 8;
                        float* k = w + (c * s.Kh + ki) * 5;   // the weights padded to 5 taps
                        long next = pair ? s.Kh * 5 : 0, perChannel = s.InChannels * s.Kh * 5;
                        for (long o = 0; o < s.Channels; o++, gRow += plane, k += perChannel)
                        {
                            var gv = Vector256.Load(gRow);
                            a0 = MultiplyAdd(Vector256.Create(k[0]), gv, a0);
                            a1 = MultiplyAdd(Vector256.Create(k[1]), gv, a1);
                            a2 = MultiplyAdd(Vector256.Create(k[2]), gv, a2);
                            a3 = MultiplyAdd(Vector256.Create(k[3]), gv, a3);
                            a4 = MultiplyAdd(Vector256.Create(k[4]), gv, a4);
                            e0 = MultiplyAdd(Vector256.Create(k[next]), gv, e0);
                            e1 = MultiplyAdd(Vector256.Create(k[next + 1]), gv, e1);
                            e2 = MultiplyAdd(Vector256.Create(k[next + 2]), gv, e2);
                            e3 = MultiplyAdd(Vector256.Create(k[next + 3]), gv, e3);
                            e4 = MultiplyAdd(Vector256.Create(k[next + 4]), gv, e4);
                        }
                    }
                    var at = sums + block;
                    at[0] = a0; at[MaxBlocks] = a1; at[2 * MaxBlocks] = a2; at[3 * MaxBlocks] = a3; at[4 * MaxBlocks] = a4;
                    at += 5 * MaxBlocks;
                    at[0] = e0; at[MaxBlocks] = e1; at[2 * MaxBlocks] = e2; at[3 * MaxBlocks] = e3; at[4 * MaxBlocks] = e4;
                }
                WriteRow(sums, blocks, dx + ((b * s.InChannels + c) * s.H + y) * width, width);
                if (pair) WriteRow(sums + 5 * MaxBlocks, blocks, dx + ((b * s.InChannels + c + 1) * s.H + y) * width, width);
            }
        }
    }

    /// <summary>
    /// The input row's first <paramref name="width"/> elements (of 8 * blocks + 4) from its taps' sums: element x is the
    /// sum over taps t of sums[t][x - t], each tap's blocks shifted right by t lanes, the lanes pushed out entering the
    /// next block.
    /// </summary>
    private static unsafe void WriteRow(Vector256<float>* sums, long blocks, float* row, long width)
    {
        for (long block = 0; block <= blocks && 8 * block < width; block++)
        {
            var total = block < blocks ? sums[block] : Vector256<float>.Zero;
            for (int t = 1; t < 5; t++)
            {
                var tap = sums + t * MaxBlocks;
                var current = block < blocks ? tap[block] : Vector256<float>.Zero;
                var previous = block > 0 ? tap[block - 1] : Vector256<float>.Zero;
                total += Shifted(previous, current, t);
            }
            long n = Math.Min(8, width - 8 * block);
            if (n == 8) total.Store(row + 8 * block);
            else for (int i = 0; i < n; i++) row[8 * block + i] = total.GetElement(i);
        }
    }

    /// <summary>Lanes [8 - t, 8) of <paramref name="previous"/> followed by lanes [0, 8 - t) of <paramref name="current"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Shifted(Vector256<float> previous, Vector256<float> current, int t)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var index = (lanes - Vector256.Create(t)) & Vector256.Create(7);
        var fromPrevious = Vector256.LessThan(lanes, Vector256.Create(t)).AsSingle();
        return Vector256.ConditionalSelect(fromPrevious, Avx2.PermuteVar8x32(previous, index), Avx2.PermuteVar8x32(current, index));
    }
}
