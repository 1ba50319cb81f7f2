using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace MLPipelines.Models;

public static partial class FastConv
{
    /// <summary>
    /// conv2d(x, weight, bias), stride 1, no padding, in C#: the images split between the threads; each output is its
    /// bias plus its terms in one fixed order (input channel, kernel row, kernel column), four output channels at a time
    /// sharing each load of an input row.
    /// </summary>
    public static unsafe Tensor Forward(Tensor x, Tensor weight, Tensor bias)
    {
        using var xc = x.contiguous();
        using var wc = weight.detach().contiguous();
        using var bc = bias.detach().contiguous();
        var s = new Shape(xc.shape[0], xc.shape[1], xc.shape[2], xc.shape[3], wc.shape[0], wc.shape[2], wc.shape[3]);
        var y = empty([s.Batch, s.Channels, s.OutH, s.OutW], dtype: ScalarType.Float32);
        IntPtr xp = THSTensor_data(xc.Handle), wp = THSTensor_data(wc.Handle), bp = THSTensor_data(bc.Handle), yp = THSTensor_data(y.Handle);
        if (WideFits(s)) ForEachImage(s.Batch, b => ForwardImageWide((float*)xp, (float*)wp, (float*)bp, (float*)yp, s, b));
        else ForEachImage(s.Batch, b => ForwardImage((float*)xp, (float*)wp, (float*)bp, (float*)yp, s, b));
        return y;
    }

    /// <summary>Runs <paramref name="image"/> for every image, the batch split into one contiguous share per libtorch thread.</summary>
    private static void ForEachImage(long batch, Action<long> image)
    {
        int threads = (int)Math.Clamp(Math.Min(batch, get_num_threads()), 1, 64);
        if (threads == 1)
        {
            for (long b = 0; b < batch; b++) image(b);
            return;
        }
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (long b = t * batch / threads; b < (t + 1) * batch / threads; b++) image(b);
        });
    }

    private static unsafe void ForwardImage(float* x, float* w, float* bias, float* y, Shape s, long b)
    {
        long outH = s.OutH, outW = s.OutW, kh = s.Kh, kw = s.Kw, taps = kh * kw, perChannel = s.InChannels * taps, plane = outH * outW;
        // Rows at least 8 wide are all vectors: the last one overlaps the one before it (the same sums, stored twice).
        long columns = Vector256.IsHardwareAccelerated && outW >= 8 ? (outW + 7) / 8 : 0, vectorEnd = columns > 0 ? outW : 0;
        float* image = x + b * s.InChannels * s.H * s.W;
        float* output = y + b * s.Channels * plane;
        for (long oc = 0; oc < s.Channels; oc += 4)
        {
            var block = new ChannelBlock(w, bias, oc, s.Channels, perChannel);
            float* y0 = output + oc * plane;
            // Vector positions (row, 8 columns) two at a time: eight sums in registers, each input load used four times.
            long positions = outH * columns;
            for (long p = 0; p < positions; p += 2)
            {
                long q = Math.Min(p + 1, positions - 1);
                long i0 = p / columns, j0 = Math.Min(p % columns * 8, outW - 8), i1 = q / columns, j1 = Math.Min(q % columns * 8, outW - 8);
                Accumulate(block, image + i0 * s.W + j0, image + i1 * s.W + j1, s,
                    out var a0, out var a1, out var a2, out var a3, out var c0, out var c1, out var c2, out var c3);
                Store(y0 + i0 * outW + j0, plane, block.Count, a0, a1, a2, a3);
                if (q != p) Store(y0 + i1 * outW + j1, plane, block.Count, c0, c1, c2, c3);
            }
            for (long i = 0; i < outH; i++)
                for (long j = vectorEnd; j < outW; j++)
                    for (long k = 0; k < block.Count; k++)
                    {
                        float* wk = w + (oc + k) * perChannel;
                        float sum = bias[oc + k];
                        for (long ic = 0; ic < s.InChannels; ic++)
                            for (long ki = 0; ki < kh; ki++)
                            {
                                float* row = image + (ic * s.H + i + ki) * s.W + j;
                                long t = ic * taps + ki * kw;
                                for (long kj = 0; kj < kw; kj++) sum = MathF.FusedMultiplyAdd(wk[t + kj], row[kj], sum);
                            }
                        y0[k * plane + i * outW + j] = sum;
                    }
        }
    }

    /// <summary>Four output channels' kernels and biases; a block of fewer repeats its last channel, and only the real ones are stored.</summary>
    private readonly unsafe struct ChannelBlock
    {
        public readonly float* W0, W1, W2, W3;
        public readonly float B0, B1, B2, B3;
        public readonly long Count;

        public ChannelBlock(float* w, float* bias, long oc, long channels, long perChannel)
        {
            Count = Math.Min(4, channels - oc);
            long last = Count - 1;
            W0 = w + oc * perChannel;
            W1 = W0 + Math.Min(1, last) * perChannel;
            W2 = W0 + Math.Min(2, last) * perChannel;
            W3 = W0 + Math.Min(3, last) * perChannel;
            B0 = bias[oc];
            B1 = bias[oc + Math.Min(1, last)];
            B2 = bias[oc + Math.Min(2, last)];
            B3 = bias[oc + Math.Min(3, last)];
        }
    }

    /// <summary>
    /// The block's four convolutions at two 8-wide positions (<paramref name="in0"/>, <paramref name="in1"/>: the input
    /// at each position's top-left tap): a* at the first, c* at the second, each its bias plus its terms in the order
    /// input channel, kernel row, kernel column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Accumulate(in ChannelBlock k, float* in0, float* in1, Shape s,
        out Vector256<float> a0, out Vector256<float> a1, out Vector256<float> a2, out Vector256<float> a3,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        long kh = s.Kh, kw = s.Kw, taps = kh * kw;
        a0 = c0 = Vector256.Create(k.B0);
        a1 = c1 = Vector256.Create(k.B1);
        a2 = c2 = Vector256.Create(k.B2);
        a3 = c3 = Vector256.Create(k.B3);
        for (long ic = 0; ic < s.InChannels; ic++)
            for (long ki = 0; ki < kh; ki++)
            {
                long offset = (ic * s.H + ki) * s.W, t = ic * taps + ki * kw;
                float* r0 = in0 + offset, r1 = in1 + offset;
                for (long kj = 0; kj < kw; kj++)
                {
                    var v = Vector256.Load(r0 + kj);
                    var u = Vector256.Load(r1 + kj);
                    var k0 = Vector256.Create(k.W0[t + kj]);
                    a0 = MultiplyAdd(k0, v, a0);
                    c0 = MultiplyAdd(k0, u, c0);
                    var k1 = Vector256.Create(k.W1[t + kj]);
                    a1 = MultiplyAdd(k1, v, a1);
                    c1 = MultiplyAdd(k1, u, c1);
                    var k2 = Vector256.Create(k.W2[t + kj]);
                    a2 = MultiplyAdd(k2, v, a2);
                    c2 = MultiplyAdd(k2, u, c2);
                    var k3 = Vector256.Create(k.W3[t + kj]);
                    a3 = MultiplyAdd(k3, v, a3);
                    c3 = MultiplyAdd(k3, u, c3);
                }
            }
    }

    private static unsafe void Store(float* at, long plane, long n, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        a0.Store(at);
        if (n > 1) a1.Store(at + plane);
        if (n > 2) a2.Store(at + 2 * plane);
        if (n > 3) a3.Store(at + 3 * plane);
    }
}
