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
        int threads = (int)Math.Clamp(Math.Min(s.Batch, get_num_threads()), 1, 64);
        if (threads == 1)
        {
            for (long b = 0; b < s.Batch; b++) ForwardImage((float*)xp, (float*)wp, (float*)bp, (float*)yp, s, b);
        }
        else
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (long b = t * s.Batch / threads; b < (t + 1) * s.Batch / threads; b++) ForwardImage((float*)xp, (float*)wp, (float*)bp, (float*)yp, s, b);
            });
        }
        return y;
    }

    private static unsafe void ForwardImage(float* x, float* w, float* bias, float* y, Shape s, long b)
    {
        long outH = s.OutH, outW = s.OutW, kh = s.Kh, kw = s.Kw, taps = kh * kw, perChannel = s.InChannels * taps, plane = outH * outW;
        long vectorEnd = Vector256.IsHardwareAccelerated ? outW / 8 * 8 : 0;
        float* image = x + b * s.InChannels * s.H * s.W;
        float* output = y + b * s.Channels * plane;
        for (long oc = 0; oc < s.Channels; oc += 4)
        {
            long n = Math.Min(4, s.Channels - oc);
            // A block of fewer than four channels repeats its last one; only the real ones are stored.
            float* w0 = w + oc * perChannel, w1 = w0 + Math.Min(1, n - 1) * perChannel, w2 = w0 + Math.Min(2, n - 1) * perChannel, w3 = w0 + Math.Min(3, n - 1) * perChannel;
            float b0 = bias[oc], b1 = bias[oc + Math.Min(1, n - 1)], b2 = bias[oc + Math.Min(2, n - 1)], b3 = bias[oc + Math.Min(3, n - 1)];
            float* y0 = output + oc * plane;
            // Vector positions (row, 8 columns) two at a time: eight sums in registers, each input load used four times.
            long columns = vectorEnd / 8, positions = outH * columns;
            for (long p = 0; p < positions; p += 2)
            {
                long q = Math.Min(p + 1, positions - 1);
                long i0 = p / columns, j0 = p % columns * 8, i1 = q / columns, j1 = q % columns * 8;
                float* in0 = image + i0 * s.W + j0, in1 = image + i1 * s.W + j1;
                Vector256<float> a0 = Vector256.Create(b0), a1 = Vector256.Create(b1), a2 = Vector256.Create(b2), a3 = Vector256.Create(b3);
                Vector256<float> c0 = a0, c1 = a1, c2 = a2, c3 = a3;
                for (long ic = 0; ic < s.InChannels; ic++)
                    for (long ki = 0; ki < kh; ki++)
                    {
                        long offset = (ic * s.H + ki) * s.W, t = ic * taps + ki * kw;
                        float* r0 = in0 + offset, r1 = in1 + offset;
                        for (long kj = 0; kj < kw; kj++)
                        {
                            var v = Vector256.Load(r0 + kj);
                            var u = Vector256.Load(r1 + kj);
                            var k0 = Vector256.Create(w0[t + kj]);
                            a0 = MultiplyAdd(k0, v, a0);
                            c0 = MultiplyAdd(k0, u, c0);
                            var k1 = Vector256.Create(w1[t + kj]);
                            a1 = MultiplyAdd(k1, v, a1);
                            c1 = MultiplyAdd(k1, u, c1);
                            var k2 = Vector256.Create(w2[t + kj]);
                            a2 = MultiplyAdd(k2, v, a2);
                            c2 = MultiplyAdd(k2, u, c2);
                            var k3 = Vector256.Create(w3[t + kj]);
                            a3 = MultiplyAdd(k3, v, a3);
                            c3 = MultiplyAdd(k3, u, c3);
                        }
                    }
                Store(y0 + i0 * outW + j0, plane, n, a0, a1, a2, a3);
                if (q != p) Store(y0 + i1 * outW + j1, plane, n, c0, c1, c2, c3);
            }
            for (long i = 0; i < outH; i++)
            {
                for (long j = vectorEnd; j < outW; j++)
                    for (long k = 0; k < n; k++)
                    {
                        float* wk = w0 + k * perChannel;
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
    }

    private static unsafe void Store(float* at, long plane, long n, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        a0.Store(at);
        if (n > 1) a1.Store(at + plane);
        if (n > 2) a2.Store(at + 2 * plane);
        if (n > 3) a3.Store(at + 3 * plane);
    }
}
