using MLPipelines.Core.Imaging;
using MLPipelines.Reporting.Imaging;

namespace MLPipelines.Reporting.Tests;

/// <summary>Filter2D against cases worked out by hand, with OpenCV's rules: correlation, same size, BORDER_REFLECT_101.</summary>
[TestClass]
public sealed class Filter2DTests
{
    private static readonly GrayImage Image3x3 = new(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]);

    [TestMethod]
    public void Reflect101MirrorsWithoutRepeatingTheEdge()
    {
        // gfedcb|abcdefgh|gfedcba with n = 5 (a..e = 0..4)
        int[] positions = [-4, -3, -2, -1, 0, 4, 5, 6, 7, 8];
        int[] expected = [4, 3, 2, 1, 0, 4, 3, 2, 1, 0];
        CollectionAssert.AreEqual(expected, positions.Select(p => Filter2D.Reflect101(p, 5)).ToArray());
        Assert.AreEqual(0, Filter2D.Reflect101(-3, 1));
        // Wider than the image: reflects again (n = 3: -4 -> 4 -> 0).
        Assert.AreEqual(0, Filter2D.Reflect101(-4, 3));
    }

    [TestMethod]
    public void AKernelThatReadsTheRightNeighbourIsNotFlipped()
    {
        // Correlation: out(y, x) = in(y, x + 1). A convolution would read the left neighbour instead.
        // At the right edge x + 1 = 3 reflects to 1.
        var kernel = new float[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 0, 0, 0 } };
        CollectionAssert.AreEqual(new float[] { 2, 3, 2, 5, 6, 5, 8, 9, 8 }, Filter2D.Apply(Image3x3, kernel).Pixels);
    }

    [TestMethod]
    public void AnAsymmetricKernelMatchesTheHandComputedOutput()
    {
        // kernel        image      out(y,x) = in(y-1,x-1) + 2 in(y-1,x) - in(y+1,x+1), borders reflected:
        // 1  2  0       1 2 3      row -1 reads row 1, row 3 reads row 1; column -1 reads column 1, column 3 reads column 1
        // 0  0  0       4 5 6
        // 0  0 -1       7 8 9
        // (0,0): in(1,1) + 2 in(1,0) - in(1,1) = 5 + 8 - 5 = 8      (0,1): in(1,0) + 2 in(1,1) - in(1,2) = 4 + 10 - 6 = 8
        // (0,2): in(1,1) + 2 in(1,2) - in(1,1) = 5 + 12 - 5 = 12    (1,0): in(0,1) + 2 in(0,0) - in(2,1) = 2 + 2 - 8 = -4
        // (1,1): in(0,0) + 2 in(0,1) - in(2,2) = 1 + 4 - 9 = -4     (1,2): in(0,1) + 2 in(0,2) - in(2,1) = 2 + 6 - 8 = 0
        // (2,0): in(1,1) + 2 in(1,0) - in(1,1) = 5 + 8 - 5 = 8      (2,1): in(1,0) + 2 in(1,1) - in(1,2) = 4 + 10 - 6 = 8
        // (2,2): in(1,1) + 2 in(1,2) - in(1,1) = 5 + 12 - 5 = 12
        var kernel = new float[,] { { 1, 2, 0 }, { 0, 0, 0 }, { 0, 0, -1 } };
        var output = Filter2D.Apply(Image3x3, kernel);
        Assert.AreEqual(3, output.Width);
        Assert.AreEqual(3, output.Height);
        CollectionAssert.AreEqual(new float[] { 8, 8, 12, -4, -4, 0, 8, 8, 12 }, output.Pixels);
    }

    [TestMethod]
    public void AFiveByFiveKernelKeepsTheSizeAndReflectsTwoPixelsDeep()
    {
        // A 5x5 kernel with its only weight at the top-left corner reads in(y-2, x-2); on a 4x4 image
        // row/column -2 reads 2 and -1 reads 1 (reflect 101), so out(0,0) = in(2,2) and out(1,1) = in(1,1).
        var image = new GrayImage(4, 4, Enumerable.Range(0, 16).Select(i => (float)i).ToArray());
        var kernel = new float[5, 5];
        kernel[0, 0] = 1;
        var output = Filter2D.Apply(image, kernel);
        Assert.AreEqual(16, output.Pixels.Length);
        // Images are indexed [x, y]: out(row 0, column 3) = in(row 2, column 1).
        Assert.AreEqual(image[2, 2], output[0, 0]);
        Assert.AreEqual(image[1, 1], output[1, 1]);
        Assert.AreEqual(image[1, 2], output[3, 0]);
        Assert.AreEqual(image[2, 1], output[0, 3]);
    }

    [TestMethod]
    public void TheIdentityKernelGivesTheImageBack()
    {
        var kernel = new float[5, 5];
        kernel[2, 2] = 1;
        var image = Synthetic.Digit(4);
        CollectionAssert.AreEqual(image.Pixels, Filter2D.Apply(image, kernel).Pixels);
    }
}
