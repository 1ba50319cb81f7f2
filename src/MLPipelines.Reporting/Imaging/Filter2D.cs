using MLPipelines.Core.Imaging;
namespace MLPipelines.Reporting.Imaging;

/// <summary>
/// OpenCV's <c>cv2.filter2D(img, -1, kernel)</c> on a float image: correlation (the kernel is not flipped, as
/// in a convolutional layer), an output the size of the input, the anchor at the kernel's centre
/// (<c>size / 2</c>), and OpenCV's default border BORDER_REFLECT_101 (<c>gfedcb|abcdefgh|gfedcba</c>).
/// </summary>
public static class Filter2D
{
    public static GrayImage Apply(GrayImage source, float[,] kernel)
    {
        int kh = kernel.GetLength(0), kw = kernel.GetLength(1);
        if (kh < 1 || kw < 1) throw new ArgumentException("the kernel is empty");
        int ay = kh / 2, ax = kw / 2;
        int h = source.Height, w = source.Width;
        var output = new float[h * w];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double sum = 0;
                for (int i = 0; i < kh; i++)
                {
                    int sy = Reflect101(y + i - ay, h);
                    for (int j = 0; j < kw; j++)
                        sum += kernel[i, j] * source[Reflect101(x + j - ax, w), sy];
                }
                output[y * w + x] = (float)sum;
            }
        }
        return new GrayImage(w, h, output);
    }

    /// <summary>The index BORDER_REFLECT_101 reads for position <paramref name="p"/> of a row of <paramref name="n"/>.</summary>
    public static int Reflect101(int p, int n)
    {
        if (n == 1) return 0;
        // Reflect until inside: kernels wider than the image reflect more than once, as OpenCV's borderInterpolate does.
        while (p < 0 || p >= n)
            p = p < 0 ? -p : 2 * n - 2 - p;
        return p;
    }
}
