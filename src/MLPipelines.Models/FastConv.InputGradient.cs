using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace MLPipelines.Models;

public static partial class FastConv
{
    private static bool InputGradientFits(Shape s) => s.Kw == 5 && s.OutW % 8 == 0 && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// dL/dx of a stride-1 unpadded convolution, the images split between the threads: for each input channel, kernel row
    /// and gradient row, the gradient rows of every output channel times the five taps summed in five registers, then
    /// added (shifted by each tap) into the input's row. Each input element sums its terms in one fixed order.
    /// </summary>
    private static unsafe Tensor InputGradient(Tensor g, Tensor weight, Shape s)
    {
        using var wc = weight.detach().contiguous();
        var dx = zeros([s.Batch, s.InChannels, s.H, s.W], dtype: ScalarType.Float32);
        IntPtr gp = THSTensor_data(g.Handle), wp = THSTensor_data(wc.Handle), dp = THSTensor_data(dx.Handle);
        ForEachImage(s.Batch, b => InputGradientImage((float*)gp, (float*)wp, (float*)dp, s, b));
        return dx;
    }

    private static unsafe void InputGradientImage(float* g, float* w, float* dx, Shape s, long b)
    {
        long plane = s.OutH * s.OutW, perChannel = s.InChannels * s.Kh * 5;
        float* grad = g + b * s.Channels * plane;
        for (long c = 0; c < s.InChannels; c++)
            for (long ki = 0; ki < s.Kh; ki++)
            {
                float* taps = w + (c * s.Kh + ki) * 5;
                for (long i = 0; i < s.OutH; i++)
                    for (long j = 0; j < s.OutW; j += 8)
                    {
                        Vector256<float> r0 = default, r1 = default, r2 = default, r3 = default, r4 = default;
                        float* gRow = grad + i * s.OutW + j;
                        for (long o = 0; o < s.Channels; o++)
                        {
                            var gv = Vector256.Load(gRow + o * plane);
                            float* k = taps + o * perChannel;
                            r0 = MultiplyAdd(Vector256.Create(k[0]), gv, r0);
                            r1 = MultiplyAdd(Vector256.Create(k[1]), gv, r1);
                            r2 = MultiplyAdd(Vector256.Create(k[2]), gv, r2);
                            r3 = MultiplyAdd(Vector256.Create(k[3]), gv, r3);
                            r4 = MultiplyAdd(Vector256.Create(k[4]), gv, r4);
                        }
                        float* row = dx + ((b * s.InChannels + c) * s.H + i + ki) * s.W + j;
                        (Vector256.Load(row) + r0).Store(row);
                        (Vector256.Load(row + 1) + r1).Store(row + 1);
                        (Vector256.Load(row + 2) + r2).Store(row + 2);
                        (Vector256.Load(row + 3) + r3).Store(row + 3);
                        (Vector256.Load(row + 4) + r4).Store(row + 4);
                    }
            }
    }
}
