using SkiaSharp;

namespace MLPipelines.Core.Imaging;

/// <summary>
/// Decodes image files (PNG, JPEG, GIF, BMP, WebP) with SkiaSharp, within <see cref="ImageLimits"/>: the header is
/// checked before anything is decoded, and an image larger than the limits' decoding size comes out reduced
/// (JPEG and WebP scaled by the codec, PNG and BMP reduced row by row as they decode, so memory stays near the reduced
/// size). The result is unpremultiplied RGBA. Transparent pixels are composited onto white when an image is turned
/// to grayscale: people's drawings are dark strokes on a transparent background, and turning them to grayscale
/// without compositing would make the background black and the strokes vanish.
/// </summary>
public static class ImageDecoder
{
    // Formats that cannot be decoded row by row (GIF, interlaced PNG) are decoded whole before being reduced:
    // one at a time, so that concurrent requests cannot each hold a full-size image.
    private static readonly SemaphoreSlim WholeDecode = new(1, 1);

    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, string name = "image", ImageLimits? limits = null) =>
        Decode(encoded.ToArray(), name, limits);

    public static SKBitmap Decode(byte[] encoded, string name = "image", ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (encoded.Length == 0) throw new InvalidImageException($"{name}: empty file");
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidImageException($"{name}: not an image (unknown or corrupt format)");
        int w = codec.Info.Width, h = codec.Info.Height;
        if (w < 1 || h < 1) throw new InvalidImageException($"{name}: the image has no pixels");
        limits.Check(w, h, name);
        if ((long)w * h <= limits.DecodePixels) return DecodeWhole(codec, w, h, SKAlphaType.Unpremul, name);

        var scaled = codec.GetScaledDimensions((float)Math.Sqrt((double)limits.DecodePixels / ((long)w * h)));
        if ((long)scaled.Width * scaled.Height < (long)w * h && scaled.Width > 0 && scaled.Height > 0)
        {
            // The codec decodes straight at a reduced size (JPEG: k/8, WebP: any); what is still too large is reduced.
            if ((long)scaled.Width * scaled.Height <= limits.DecodePixels)
                return DecodeWhole(codec, scaled.Width, scaled.Height, SKAlphaType.Unpremul, name);
            return ReduceInMemory(DecodeWhole(codec, scaled.Width, scaled.Height, SKAlphaType.Premul, name), limits);
        }
        int factor = BoxReduction.FactorFor(w, h, limits.DecodePixels);
        if (PngRows.IsPng(encoded) && !PngRows.IsInterlaced(encoded)) return DecodePngRows(encoded, w, h, factor, name);
        if (TryDecodeRows(codec, w, h, factor, out var reduced)) return reduced;
        WholeDecode.Wait();
        try
        {
            return ReduceInMemory(DecodeWhole(codec, w, h, SKAlphaType.Premul, name), limits);
        }
        finally
        {
            WholeDecode.Release();
        }
    }

    public static SKBitmap Decode(string path, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > limits.MaxFileBytes)
                throw new InvalidImageException($"{path}: file too large: {info.Length:N0} bytes (the limit is {limits.MaxFileBytes:N0})");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException($"{path}: {e.Message}");
        }
        return Decode(bytes, path, limits);
    }

    /// <summary>Luma (ITU-R 601) of the image composited onto white.</summary>
    public static GrayImage ToGray(SKBitmap rgba)
    {
        var gray = new GrayImage(rgba.Width, rgba.Height);
        ReadOnlySpan<byte> p = rgba.GetPixelSpan();
        bool rgbaOrder = rgba.ColorType == SKColorType.Rgba8888;
        for (int i = 0, o = 0; o < gray.Pixels.Length; i += 4, o++)
        {
            float r = rgbaOrder ? p[i] : p[i + 2], g = p[i + 1], b = rgbaOrder ? p[i + 2] : p[i], a = p[i + 3] / 255f;
            float luma = 0.299f * r + 0.587f * g + 0.114f * b;
            gray.Pixels[o] = a * luma + (1 - a) * 255f;
        }
        return gray;
    }

    /// <summary>
    /// The decoded image composited onto white, as opaque BGRA bytes (row-major, no padding): what photo models get,
    /// the same in training (the animal featurizer) and in prediction (<c>ImageClassifier</c>).
    /// </summary>
    public static byte[] ToOpaqueBgra(SKBitmap rgba)
    {
        if (rgba.ColorType != SKColorType.Rgba8888 || rgba.AlphaType != SKAlphaType.Unpremul)
            throw new ArgumentException($"expected unpremultiplied RGBA (as Decode gives), got {rgba.ColorType} {rgba.AlphaType}");
        var src = rgba.GetPixelSpan();
        int w = rgba.Width, h = rgba.Height;
        var bgra = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
        {
            var row = src.Slice(y * rgba.RowBytes, w * 4);
            for (int x = 0, i = 0, o = y * w * 4; x < w; x++, i += 4, o += 4)
            {
                float a = row[i + 3] / 255f;
                bgra[o] = (byte)(a * row[i + 2] + (1 - a) * 255);
                bgra[o + 1] = (byte)(a * row[i + 1] + (1 - a) * 255);
                bgra[o + 2] = (byte)(a * row[i] + (1 - a) * 255);
                bgra[o + 3] = 255;
            }
        }
        return bgra;
    }

    public static GrayImage DecodeGray(ReadOnlySpan<byte> encoded, string name = "image", ImageLimits? limits = null)
    {
        using var bitmap = Decode(encoded, name, limits);
        return ToGray(bitmap);
    }

    private static SKBitmap DecodeWhole(SKCodec codec, int width, int height, SKAlphaType alpha, string name)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, alpha);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new InvalidImageException($"{name}: cannot decode ({result})");
        }
        return bitmap;
    }

    /// <summary>Decodes top-down rows one at a time into a <see cref="BoxReduction"/>; false when the codec cannot (GIF, bottom-up BMP).</summary>
    private static bool TryDecodeRows(SKCodec codec, int width, int height, int factor, out SKBitmap reduced)
    {
        reduced = null!;
        if (codec.StartScanlineDecode(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul)) != SKCodecResult.Success
            || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown)
            return false;
        using var row = new SKBitmap(new SKImageInfo(width, 1, SKColorType.Rgba8888, SKAlphaType.Premul));
        var reduction = new BoxReduction(width, height, factor);
        for (int y = 0; y < height; y++)
        {
            if (codec.GetScanlines(row.GetPixels(), 1, row.RowBytes) < 1) break; // truncated: the rest stays transparent
            reduction.AddRow(row.GetPixelSpan()[..(width * 4)]);
        }
        reduced = reduction.Finish();
        return true;
    }

    private static SKBitmap DecodePngRows(byte[] png, int width, int height, int factor, string name)
    {
        var reduction = new BoxReduction(width, height, factor);
        try
        {
            if (PngRows.Read(png, reduction.AddRow) == 0) throw new InvalidImageException($"{name}: cannot decode (no image data)");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidImageException($"{name}: cannot decode ({e.Message})");
        }
        return reduction.Finish();
    }

    /// <summary>A premultiplied bitmap reduced to at most the limits' decoding size, as unpremultiplied RGBA (the input is disposed).</summary>
    private static SKBitmap ReduceInMemory(SKBitmap premultiplied, ImageLimits limits)
    {
        using (premultiplied)
        {
            int factor = BoxReduction.FactorFor(premultiplied.Width, premultiplied.Height, limits.DecodePixels);
            var reduction = new BoxReduction(premultiplied.Width, premultiplied.Height, factor);
            var pixels = premultiplied.GetPixelSpan();
            for (int y = 0; y < premultiplied.Height; y++)
                reduction.AddRow(pixels.Slice(y * premultiplied.RowBytes, premultiplied.Width * 4));
            return reduction.Finish();
        }
    }
}
