namespace MLPipelines.Prediction.Imaging;

/// <summary>A file or buffer that is not a readable image.</summary>
public sealed class InvalidImageException(string message) : Exception(message);
