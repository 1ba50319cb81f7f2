namespace MLPipelines.Core.Imaging;

/// <summary>A file or buffer that is not a readable image.</summary>
public class InvalidImageException(string message) : Exception(message);

/// <summary>An image whose header claims more pixels than <see cref="ImageLimits.MaxPixels"/>: refused before anything is decoded.</summary>
public sealed class ImageTooLargeException(string message, int width, int height, long limit) : InvalidImageException(message)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public long Limit { get; } = limit;
}
