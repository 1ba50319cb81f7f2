using static TorchSharp.torch;

namespace MLPipelines.Models;

/// <summary>
/// 2x2, stride-2 max pooling (floor mode), equal to <c>F.max_pool2d(x, 2)</c> in values and gradients.
/// libtorch's CPU max_pool2d is slow for this network's small maps (about 1.1 s of a 5 s epoch here):
/// this finds the winner of each window with a few element-wise comparisons, then takes it with
/// <c>gather</c>, whose backward (a scatter into zeros) is cheap. Ties go to the first element in
/// row-major order, as in PyTorch, so gradients match exactly.
/// </summary>
public static class FastMaxPool
{
    [ThreadStatic] private static Tensor? cachedBase;
    [ThreadStatic] private static (long H2, long W2, long W) cachedShape;

    public static Tensor Pool2x2(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long h2 = h / 2, w2 = w / 2;
        if (!x.is_contiguous()) x = x.contiguous();
        Tensor index;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            Tensor s00 = x.slice(2, 0, 2 * h2, 2).slice(3, 0, 2 * w2, 2);
            Tensor s01 = x.slice(2, 0, 2 * h2, 2).slice(3, 1, 2 * w2, 2);
            Tensor s10 = x.slice(2, 1, 2 * h2, 2).slice(3, 0, 2 * w2, 2);
            Tensor s11 = x.slice(2, 1, 2 * h2, 2).slice(3, 1, 2 * w2, 2);
            Tensor rightTop = s01.gt(s00), rightBottom = s11.gt(s10);
            Tensor down = maximum(s10, s11).gt(maximum(s00, s01));
            // Offset of the winner inside its window, in flat (row * w + column) units.
            index = where(down, rightBottom, rightTop).to(ScalarType.Int64)
                .add_(down.to(ScalarType.Int64).mul_(w))
                .add_(WindowOrigins(h2, w2, w))
                .view(b, c, h2 * w2);
            index = scope.MoveToOuter(index);
        }
        using (index)
            return x.view(b, c, h * w).gather(2, index).view(b, c, h2, w2);
    }

    // Flat index of each window's top-left element; cached per shape (and thread) since it never changes.
    private static Tensor WindowOrigins(long h2, long w2, long w)
    {
        if (cachedBase is null || cachedShape != (h2, w2, w))
        {
            cachedBase?.Dispose();
            using var rows = arange(h2, dtype: ScalarType.Int64).mul_(2 * w).unsqueeze(1);
            using var cols = arange(w2, dtype: ScalarType.Int64).mul_(2);
            cachedBase = rows.add(cols).DetachFromDisposeScope();
            cachedShape = (h2, w2, w);
        }
        return cachedBase;
    }
}
