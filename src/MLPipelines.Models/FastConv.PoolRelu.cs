using System.Runtime.Intrinsics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Models;

public static partial class FastConv
{
    /// <summary>
    /// relu(max_pool2d(conv(x), 2)) for inference (no gradient recorded) in one pass: each pair of convolution rows is
    /// pooled in registers, so the convolution's output is never written. False when it does not fit (a gradient is
    /// recorded, or the pooled rows are under 8 columns of the convolution); then the caller runs the layers one by one. Unlike
    /// <see cref="MaxPoolRelu"/>, a NaN is not guaranteed to win its window.
    /// </summary>
    public static bool TryPoolRelu(Conv2d conv, Tensor x, out Tensor y)
    {
        y = null!;
        if (is_grad_enabled() || !Fits(conv, x) || !Vector256.IsHardwareAccelerated) return false;
        long outH = x.shape[2] - conv.weight!.shape[2] + 1, outW = x.shape[3] - conv.weight.shape[3] + 1;
        if (outW < 8 || outH < 2) return false;
        y = PoolRelu(x, conv.weight, conv.bias!);
        return true;
    }

    private static unsafe Tensor PoolRelu(Tensor x, Tensor weight, Tensor bias)
    {
        using var xc = x.contiguous();
        using var wc = weight.detach().contiguous();
        using var bc = bias.detach().contiguous();
        var s = new Shape(xc.shape[0], xc.shape[1], xc.shape[2], xc.shape[3], wc.shape[0], wc.shape[2], wc.shape[3]);
        var y = empty([s.Batch, s.Channels, s.OutH / 2, s.OutW / 2], dtype: ScalarType.Float32);
        IntPtr xp = THSTensor_data(xc.Handle), wp = THSTensor_data(wc.Handle), bp = THSTensor_data(bc.Handle), yp = THSTensor_data(y.Handle);
        ForEachImage(s.Batch, b => PoolReluImage((float*)xp, (float*)wp, (float*)bp, (float*)yp, s, b));
        return y;
    }

    private static unsafe void PoolReluImage(float* x, float* w, float* bias, float* y, Shape s, long b)
    {
        long perChannel = s.InChannels * s.Kh * s.Kw, h2 = s.OutH / 2, w2 = s.OutW / 2, plane = h2 * w2;
        float* image = x + b * s.InChannels * s.H * s.W;
        float* output = y + b * s.Channels * plane;
        var neighbours = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6);
        var even = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
        // The columns the pooling reads (an odd last one is dropped, as max_pool2d floors), as 8-wide blocks; a last
        // block that does not fit overlaps the one before it at an even column, so it stores the same windows again.
        long used = 2 * w2;
        for (long oc = 0; oc < s.Channels; oc += 4)
        {
            var block = new ChannelBlock(w, bias, oc, s.Channels, perChannel);
            for (long r = 0; r < h2; r++)
                for (long c = 0; c < used; c += 8)
                {
                    long j = Math.Min(c, used - 8);
                    // Rows 2r and 2r + 1: the two rows of each pooling window.
                    float* in0 = image + 2 * r * s.W + j;
                    Accumulate(block, in0, in0 + s.W, s, out var a0, out var a1, out var a2, out var a3, out var c0, out var c1, out var c2, out var c3);
                    float* at = output + oc * plane + r * w2 + j / 2;
                    Pool(a0, c0, at, neighbours, even);
                    if (block.Count > 1) Pool(a1, c1, at + plane, neighbours, even);
                    if (block.Count > 2) Pool(a2, c2, at + 2 * plane, neighbours, even);
                    if (block.Count > 3) Pool(a3, c3, at + 3 * plane, neighbours, even);
                }
        }
    }

    /// <summary>Four 2x2 windows of two 8-wide rows: max down, max across neighbouring lanes, relu, the even lanes stored.</summary>
    private static unsafe void Pool(Vector256<float> top, Vector256<float> bottom, float* at, Vector256<int> neighbours, Vector256<int> even)
    {
        var m = Vector256.Max(top, bottom);
        m = Vector256.Max(m, Vector256.Shuffle(m, neighbours));
        m = Vector256.Max(m, Vector256<float>.Zero);
        Vector256.Shuffle(m, even).GetLower().Store(at);
    }
}
