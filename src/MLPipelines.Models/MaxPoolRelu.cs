using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Models;

/// <summary>
/// <c>relu(max_pool2d(x, 2))</c> in one pass, equal to the two libtorch ops in values and gradients (ties to the
/// first element in row-major order, NaN wins, as in PyTorch). The network spends most of an epoch in its two
/// convolutions; the rest was these pools, a dozen small libtorch ops each way. One loop over the input for the
/// forward pass and one over the output for the backward pass take about a fifth of that.
/// Float32 on the CPU; other tensors go through <see cref="FastMaxPool"/> and relu.
/// </summary>
public static class MaxPoolRelu
{
    public static Tensor Apply(Tensor x)
    {
        if (x.dtype != ScalarType.Float32 || x.device_type != DeviceType.CPU || x.dim() != 4)
            return F.relu(FastMaxPool.Pool2x2(x));
        return PoolReluFunction.apply(x);
    }

    private sealed class PoolReluFunction : autograd.SingleTensorFunction<PoolReluFunction>
    {
        public override string Name => nameof(MaxPoolRelu);

        public override unsafe Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var input = (Tensor)vars[0];
            using var x = input.contiguous();
            long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
            var output = empty(b, c, h / 2, w / 2, dtype: ScalarType.Float32);
            var winners = empty(b, c, h / 2, w / 2, dtype: ScalarType.Int32);
            Forward(Pointer<float>(x), Pointer<float>(output), Pointer<int>(winners), b * c, h, w);
            ctx.save_for_backward([winners]);
            ctx.save_data("shape", new long[] { b, c, h, w });
            return output;
        }

        public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var shape = (long[])ctx.get_data("shape");
            using var winners = ctx.get_saved_variables()[0];
            using var g = gradOutput.contiguous();
            // Every element is written (odd last rows and columns, which no window reaches, set to zero).
            var gradInput = empty(shape, dtype: ScalarType.Float32);
            Backward(Pointer<float>(g), Pointer<int>(winners), Pointer<float>(gradInput), shape[0] * shape[1], shape[2], shape[3]);
            return [gradInput];
        }
    }

    // Each output remembers its winner as an offset from its window's top-left element (0, 1, w or w + 1), or
    // Gated where relu zeroed it. Comparisons are done without branches: on random-looking data a branch per
    // comparison mispredicts half the time, which made a plain loop slower than libtorch.
    private const int Gated = -1;

    private static unsafe void Forward(float* x, float* output, int* winners, long planes, long h, long w)
    {
        long h2 = h / 2, w2 = w / 2;
        float* end = x + planes * h * w;
        for (long p = 0; p < planes; p++)
        {
            for (long oy = 0; oy < h2; oy++)
            {
                float* top = x + p * h * w + 2 * oy * w;
                float* bottom = top + w;
                long ox = 0;
                // Eight inputs of a row (and the one after them) give four windows: lanes 0, 2, 4, 6.
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; ox + 4 <= w2 && bottom + 2 * ox + 9 <= end; ox += 4)
                    {
                        WindowsOf8(top + 2 * ox, bottom + 2 * ox, (int)w, out var best, out var winner);
                        Vector256.Shuffle(best, EvenLanes).GetLower().Store(output);
                        Vector256.Shuffle(winner, EvenLanes).GetLower().Store(winners);
                        output += 4;
                        winners += 4;
                    }
                }
                for (; ox < w2; ox++)
                {
                    float* t = top + 2 * ox, bt = bottom + 2 * ox;
                    float best = t[0];
                    int k = 0;
                    if (t[1] > best || float.IsNaN(t[1])) { best = t[1]; k = 1; }
                    if (bt[0] > best || float.IsNaN(bt[0])) { best = bt[0]; k = (int)w; }
                    if (bt[1] > best || float.IsNaN(bt[1])) { best = bt[1]; k = (int)w + 1; }
                    // relu keeps NaN and passes its gradient (libtorch's threshold_backward tests x <= 0).
                    if (best <= 0f) { best = 0f; k = Gated; }
                    *output++ = best;
                    *winners++ = k;
                }
            }
        }
    }

    private static readonly Vector256<int> EvenLanes = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);

    private static unsafe void WindowsOf8(float* top, float* bottom, int w, out Vector256<float> best, out Vector256<int> winner)
    {
        best = Vector256.Load(top);
        winner = Vector256<int>.Zero;
        Challenge(ref best, ref winner, Vector256.Load(top + 1), Vector256.Create(1));
        Challenge(ref best, ref winner, Vector256.Load(bottom), Vector256.Create(w));
        Challenge(ref best, ref winner, Vector256.Load(bottom + 1), Vector256.Create(w + 1));
        var gated = Vector256.LessThanOrEqual(best, Vector256<float>.Zero);
        best = Vector256.ConditionalSelect(gated, Vector256<float>.Zero, best);
        winner = Vector256.ConditionalSelect(gated.AsInt32(), Vector256.Create(Gated), winner);
    }

    // A later element wins when it is larger or NaN, as in libtorch's max_pool2d.
    private static void Challenge(ref Vector256<float> best, ref Vector256<int> winner, Vector256<float> value, Vector256<int> offset)
    {
        var wins = Vector256.GreaterThan(value, best) | ~Vector256.Equals(value, value);
        best = Vector256.ConditionalSelect(wins, value, best);
        winner = Vector256.ConditionalSelect(wins.AsInt32(), offset, winner);
    }

    private static unsafe void Backward(float* gradOutput, int* winners, float* gradInput, long planes, long h, long w)
    {
        long h2 = h / 2, w2 = w / 2;
        var pairs = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        var topOffsets = Vector256.Create(0, 1, 0, 1, 0, 1, 0, 1);
        var bottomOffsets = topOffsets + Vector256.Create((int)w);
        for (long p = 0; p < planes; p++)
        {
            float* plane = gradInput + p * h * w;
            for (long oy = 0; oy < h2; oy++)
            {
                float* top = plane + 2 * oy * w, bottom = top + w;
                long ox = 0;
                // Four windows at a time: each window's gradient and winner doubled across its two columns, then each
                // of its four elements gets the gradient where it won, else +0 (relu-gated windows win nowhere).
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; ox + 4 <= w2; ox += 4)
                    {
                        var g = Vector256.Shuffle(Vector128.Load(gradOutput).ToVector256Unsafe(), pairs);
                        var k = Vector256.Shuffle(Vector128.Load(winners).ToVector256Unsafe(), pairs);
                        (g & Vector256.Equals(k, topOffsets).AsSingle()).Store(top + 2 * ox);
                        (g & Vector256.Equals(k, bottomOffsets).AsSingle()).Store(bottom + 2 * ox);
                        gradOutput += 4;
                        winners += 4;
                    }
                }
                for (; ox < w2; ox++)
                {
                    int k = *winners++;
                    float g = *gradOutput++;
                    top[2 * ox] = k == 0 ? g : 0f;
                    top[2 * ox + 1] = k == 1 ? g : 0f;
                    bottom[2 * ox] = k == w ? g : 0f;
                    bottom[2 * ox + 1] = k == w + 1 ? g : 0f;
                }
                if (w % 2 == 1)
                {
                    top[w - 1] = 0f;
                    bottom[w - 1] = 0f;
                }
            }
            if (h % 2 == 1) new Span<float>(plane + (h - 1) * w, (int)w).Clear();
        }
    }

    private static unsafe T* Pointer<T>(Tensor t) where T : unmanaged => (T*)THSTensor_data(t.Handle);

    // TorchSharp's own entry point for a tensor's storage (what Tensor.data<T>() reads through).
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
