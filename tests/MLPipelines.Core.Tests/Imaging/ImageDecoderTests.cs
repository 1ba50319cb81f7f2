using System.Diagnostics;
using MLPipelines.Core.Imaging;
using MLPipelines.Tests.Support;
using SkiaSharp;

namespace MLPipelines.Core.Tests.Imaging;

/// <summary>Decoding within <see cref="ImageLimits"/>: huge images refused by their header, large ones decoded small, the rest as before.</summary>
[TestClass]
public sealed class ImageDecoderTests
{
    [TestMethod]
    [TestCategory("slow")]
    public void AnImageOverThePixelLimitIsRefusedFromItsHeaderAtOnce()
    {
        byte[] bomb = PixelBomb.Png(20_000, 20_000);
        Assert.IsLessThan(1_000_000, bomb.Length, "a small file");
        var clock = Stopwatch.StartNew();
        var e = Assert.ThrowsExactly<ImageTooLargeException>(() => ImageDecoder.Decode(bomb, "bomb.png"));
        Assert.IsLessThan(2.0, clock.Elapsed.TotalSeconds, "refused before decoding");
        StringAssert.Contains(e.Message, "bomb.png: image too large: 20,000x20,000 pixels");
        Assert.AreEqual((20_000, 20_000), (e.Width, e.Height));

        // The limit is the caller's: allowed, it decodes to about a megapixel.
        var limits = new ImageLimits { MaxPixels = 500_000_000 };
        using var small = ImageDecoder.Decode(bomb, "bomb.png", limits);
        Assert.IsLessThanOrEqualTo(limits.DecodePixels, (long)small.Width * small.Height);
        Assert.AreEqual(small.Width, small.Height);
    }

    [TestMethod]
    public void ALargePngIsReducedRowByRowWithTheSamePixelsAsAWholeDecode()
    {
        // 6,000 x 6,000: white with a black square in the middle third.
        using var image = ImageDecoder.Decode(PixelBomb.Png(6000, 6000), "big.png");
        Assert.IsLessThanOrEqualTo(ImageLimits.DefaultDecodePixels, (long)image.Width * image.Height);
        Assert.IsGreaterThan(ImageLimits.DefaultDecodePixels / 2, (long)image.Width * image.Height);
        var centre = image.GetPixel(image.Width / 2, image.Height / 2);
        var corner = image.GetPixel(2, 2);
        Assert.AreEqual(new SKColor(0, 0, 0, 255), centre);
        Assert.AreEqual(new SKColor(255, 255, 255, 255), corner);
    }

    [TestMethod]
    [RequiresData("greek")]
    [RequiresData("handwritten-digits")]
    public void TheRowReaderMatchesSkiaOnRealPngsOfEveryKind()
    {
        // Grayscale scans, RGBA drawings with transparency, small RGBA digits: reduced by our PNG reader, and decoded
        // whole by SkiaSharp then reduced the same way, agree to rounding.
        string root = TestData.RequireRoot();
        var files = new[] { "greek/test", "greek/train", "handwritten-digits" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(root, d), "*.png", SearchOption.AllDirectories)).Order().ToList();
        Assert.IsGreaterThan(50, files.Count);
        var limits = new ImageLimits { DecodePixels = 64 * 64 };
        int compared = 0;
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            using var codec = SKCodec.Create(SKData.CreateCopy(bytes));
            if ((long)codec.Info.Width * codec.Info.Height <= limits.DecodePixels) continue;
            using var ours = ImageDecoder.Decode(bytes, file, limits);
            using var reference = ReduceWhole(codec, limits);
            Assert.AreEqual((reference.Width, reference.Height), (ours.Width, ours.Height), file);
            int worst = 0;
            var a = ours.GetPixelSpan();
            var b = reference.GetPixelSpan();
            for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            Assert.IsLessThanOrEqualTo(2, worst, file);
            compared++;
        }
        Assert.IsGreaterThan(50, compared);
    }

    [TestMethod]
    public void ALargeJpegIsDecodedSmallByTheCodec()
    {
        using var bitmap = new SKBitmap(3000, 2000);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(1000, 500, 1000, 1000, paint);
        }
        using var jpeg = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 90);
        using var decoded = ImageDecoder.Decode(jpeg.ToArray(), "photo.jpg");
        Assert.IsLessThanOrEqualTo(ImageLimits.DefaultDecodePixels, (long)decoded.Width * decoded.Height);
        Assert.AreEqual(1.5, (double)decoded.Width / decoded.Height, 0.01, "the aspect ratio is kept");
        var centre = decoded.GetPixel(decoded.Width / 2, decoded.Height / 2);
        Assert.IsGreaterThan(200, centre.Red);
        Assert.IsLessThan(60, centre.Green);
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void ImagesWithinTheDecodingSizeAreDecodedWhole()
    {
        string photo = Path.Combine(TestData.RequireRoot(), "handwritten-digits", "photos", "7.png");
        using var decoded = ImageDecoder.Decode(File.ReadAllBytes(photo), photo);
        using var codec = SKCodec.Create(photo);
        Assert.AreEqual((codec.Info.Width, codec.Info.Height), (decoded.Width, decoded.Height));
    }

    [TestMethod]
    public void AFileOverTheSizeLimitIsRefusedBeforeItIsRead()
    {
        using var dir = new TempDir();
        string path = dir.File("huge.png");
        File.WriteAllBytes(path, PixelBomb.Png(100, 100));
        var e = Assert.ThrowsExactly<InvalidImageException>(() => ImageDecoder.Decode(path, new ImageLimits { MaxFileBytes = 10 }));
        StringAssert.Contains(e.Message, "file too large");
    }

    /// <summary>SkiaSharp's whole decode, box-reduced by the factor the decoder uses (the reference for the row reader).</summary>
    private static SKBitmap ReduceWhole(SKCodec codec, ImageLimits limits)
    {
        int w = codec.Info.Width, h = codec.Info.Height;
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var whole = new SKBitmap(info);
        codec.GetPixels(info, whole.GetPixels());
        int k = Math.Max(1, (int)Math.Ceiling(Math.Sqrt((double)w * h / limits.DecodePixels)));
        int ow = (w + k - 1) / k, oh = (h + k - 1) / k;
        var result = new SKBitmap(new SKImageInfo(ow, oh, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var src = whole.GetPixelSpan();
        var dst = new byte[ow * oh * 4];
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            long r = 0, g = 0, b = 0, a = 0, n = 0;
            for (int y = oy * k; y < Math.Min(h, oy * k + k); y++)
            for (int x = ox * k; x < Math.Min(w, ox * k + k); x++, n++)
            {
                int i = y * whole.RowBytes + 4 * x;
                r += src[i]; g += src[i + 1]; b += src[i + 2]; a += src[i + 3];
            }
            int o = 4 * (oy * ow + ox);
            dst[o + 3] = (byte)((a + n / 2) / n);
            if (a > 0)
            {
                dst[o] = (byte)Math.Min(255, (r * 255 + a / 2) / a);
                dst[o + 1] = (byte)Math.Min(255, (g * 255 + a / 2) / a);
                dst[o + 2] = (byte)Math.Min(255, (b * 255 + a / 2) / a);
            }
        }
        for (int y = 0; y < oh; y++)
            System.Runtime.InteropServices.Marshal.Copy(dst, y * ow * 4, result.GetPixels() + y * result.RowBytes, ow * 4);
        return result;
    }
}
