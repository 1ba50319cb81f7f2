using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Models;

/// <summary>
/// A convolution computed in C#: the forward pass (<see cref="Forward"/>), the weight gradient and, for kernels up to 5
/// wide, the input's gradient (wider ones: libtorch's transposed convolution); 16-wide AVX-512 loops where the CPU has
/// them and the rows fit (<see cref="WideVectors"/>), else 8-wide AVX2 ones. libtorch's CPU backward
/// makes a small matrix product per image (for the first layer 10x576 by 576x25), most of the layers' cost at the
/// network's sizes; these loops keep their sums in vector registers (docs/performance.md). Each output, weight and
/// input gradient sums its terms in one fixed order, whatever the thread count, so a seed gives the same weights every
/// time. The C# threads share the cores with libtorch's OpenMP ones (<see cref="OpenMpWaiting"/>).
/// </summary>
public static partial class FastConv
{
    /// <summary><paramref name="conv"/> applied to <paramref name="x"/>: the weight gradient in C#, and the forward pass too when no gradient is recorded, when it fits (float32 on the CPU, stride 1, no padding, one group).</summary>
    public static Tensor Apply(Conv2d conv, Tensor x)
    {
        if (!Fits(conv, x)) return conv.call(x);
        // Without autograd only when no gradient can flow: a frozen layer still passes its input's gradient on.
        if (!is_grad_enabled() || (!conv.weight!.requires_grad && !conv.bias!.requires_grad && !x.requires_grad)) return Forward(x, conv.weight!, conv.bias!);
        return Function.apply(x, conv.weight!, conv.bias!);
    }

    /// <summary>While set (on this thread), convolutions run through their modules, whose forward hooks then fire (<see cref="ModelSummary"/>).</summary>
    [ThreadStatic]
    internal static bool ThroughModules;

    private static bool Fits(Conv2d conv, Tensor x) =>
        !ThroughModules && x.dtype == ScalarType.Float32 && x.device_type == DeviceType.CPU && x.dim() == 4 && conv.weight is not null && conv.bias is not null
        && (conv.stride ?? []).All(s => s == 1) && (conv.padding ?? []).All(p => p == 0) && (conv.dilation ?? []).All(d => d == 1) && conv.groups == 1
        && x.shape[1] == conv.weight.shape[1] && x.shape[2] >= conv.weight.shape[2] && x.shape[3] >= conv.weight.shape[3];

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => nameof(FastConv);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
            ctx.save_for_backward([x, weight]);
            return Forward(x, weight, bias);
        }

        public override unsafe List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var input = saved[0];
            using var weight = saved[1];
            using var x = input.contiguous();
            using var g = gradOutput.contiguous();
            long batch = x.shape[0], inChannels = x.shape[1], h = x.shape[2], w = x.shape[3], channels = g.shape[1], kh = weight.shape[2], kw = weight.shape[3];
            var gradWeight = zeros(weight.shape, dtype: ScalarType.Float32);
            IntPtr xp = THSTensor_data(x.Handle), gp = THSTensor_data(g.Handle), wp = THSTensor_data(gradWeight.Handle);
            var shape = new Shape(batch, inChannels, h, w, channels, kh, kw);
            // Output channels split between the threads; each channel's sum is one thread's, in one order.
            // Channels in pairs where the row loops fit (each input load serves both), else one by one.
            bool pairs = PairsFit(shape);
            int items = (int)(pairs ? (channels + 1) / 2 : channels), threads = Math.Max(1, get_num_threads());
            Action<int> item = k => { if (pairs) WeightGradientPair((float*)xp, (float*)gp, (float*)wp, shape, 2 * k); else WeightGradient((float*)xp, (float*)gp, (float*)wp, shape, k); };
            if (threads == 1) for (int k = 0; k < items; k++) item(k);
            else Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, item);
            var gradBias = g.sum([0, 2, 3]);
            var gradInput = !input.requires_grad ? zeros_like(input)
                : InputGradientFits(shape) ? InputGradient(g, weight, shape) : F.conv_transpose2d(g, weight);
            return [gradInput, gradWeight, gradBias];
        }
    }

    private readonly record struct Shape(long Batch, long InChannels, long H, long W, long Channels, long Kh, long Kw)
    {
        public long OutH => H - Kh + 1;
        public long OutW => W - Kw + 1;
    }

    /// <summary>
    /// dL/dW[oc, ic, ki, kj] = sum over images b and outputs (i, j) of g[b, oc, i, j] * x[b, ic, i + ki, j + kj]: per
    /// tap, one pass over the channel's gradients and the shifted input rows, four vector sums in registers.
    /// </summary>
    private static unsafe void WeightGradient(float* x, float* g, float* gradWeight, Shape s, int oc)
    {
        for (long ic = 0; ic < s.InChannels; ic++)
        {
            float* plane = x + ic * s.H * s.W;
            float* taps = gradWeight + (oc * s.InChannels + ic) * s.Kh * s.Kw;
            AnyRows(plane, g, taps, s, oc);
        }
    }

    /// <summary>One input channel's taps (<paramref name="x"/>: its plane of image 0; images are InChannels planes apart).</summary>
    private static unsafe void AnyRows(float* x, float* g, float* taps, Shape s, int oc)
    {
        long outH = s.OutH, outW = s.OutW, imageSize = s.InChannels * s.H * s.W;
        long vectorEnd = Vector256.IsHardwareAccelerated ? outW / 8 * 8 : 0;
        // A row's last columns past the vectors, at least 8 wide: one vector ending at the row's end, the lanes the
        // vectors already summed masked off.
        bool tailVector = vectorEnd > 0 && vectorEnd < outW;
        var fresh = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((int)(vectorEnd - (outW - 8)))).AsSingle();
        long scalarFrom = tailVector ? outW : vectorEnd;
        for (long ki = 0; ki < s.Kh; ki++)
        for (long kj = 0; kj < s.Kw; kj++)
        {
            Vector256<float> even = Vector256<float>.Zero, odd = Vector256<float>.Zero, even2 = Vector256<float>.Zero, odd2 = Vector256<float>.Zero;
            Vector256<float> tail = Vector256<float>.Zero;
            double rest = 0;
            for (long b = 0; b < s.Batch; b++)
            {
                float* image = x + b * imageSize + ki * s.W + kj;
                float* grad = g + (b * s.Channels + oc) * outH * outW;
                for (long i = 0; i < outH; i++)
                {
                    float* gRow = grad + i * outW, xRow = image + i * s.W;
                    long j = 0;
                    if ((i & 1) == 0)
                    {
                        for (; j + 16 <= vectorEnd; j += 16)
                        {
                            even = MultiplyAdd(Vector256.Load(gRow + j), Vector256.Load(xRow + j), even);
                            even2 = MultiplyAdd(Vector256.Load(gRow + j + 8), Vector256.Load(xRow + j + 8), even2);
                        }
                        for (; j < vectorEnd; j += 8) even = MultiplyAdd(Vector256.Load(gRow + j), Vector256.Load(xRow + j), even);
                    }
                    else
                    {
                        for (; j + 16 <= vectorEnd; j += 16)
                        {
                            odd = MultiplyAdd(Vector256.Load(gRow + j), Vector256.Load(xRow + j), odd);
                            odd2 = MultiplyAdd(Vector256.Load(gRow + j + 8), Vector256.Load(xRow + j + 8), odd2);
                        }
                        for (; j < vectorEnd; j += 8) odd = MultiplyAdd(Vector256.Load(gRow + j), Vector256.Load(xRow + j), odd);
                    }
                    if (tailVector) tail = MultiplyAdd(Vector256.Load(gRow + outW - 8) & fresh, Vector256.Load(xRow + outW - 8), tail);
                    for (j = Math.Max(j, scalarFrom); j < outW; j++) rest += gRow[j] * xRow[j];
                }
            }
            taps[ki * s.Kw + kj] = (float)(Vector256.Sum(even + odd + even2 + odd2 + tail) + rest);
        }
    }

    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    // TorchSharp's own entry point for a tensor's storage (what Tensor.data<T>() reads through).
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
