namespace MLPipelines.Core.Imaging;

/// <summary>Turns a decoded grayscale image into what a model was trained on (e.g. an MNIST-style 28x28 digit).</summary>
public interface IImagePreprocessor
{
    /// <summary>The name stored in a model's metadata to pick this preprocessor.</summary>
    string Name { get; }

    GrayImage Process(GrayImage gray);
}
