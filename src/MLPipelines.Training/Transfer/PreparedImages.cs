using MLPipelines.Core.Datasets;
using MLPipelines.Data.Datasets;
using MLPipelines.Core.Imaging;
using MLPipelines.Training.MLNet;

namespace MLPipelines.Training.Transfer;

/// <summary>
/// The images of an <see cref="ImageFolderSet"/> put through the preparation the saved model does
/// (<see cref="ModelPreparation"/>): what the network is trained on is what it is given at prediction.
/// </summary>
public sealed class PreparedImages
{
    private PreparedImages(ImageFolderSet source, IReadOnlyList<GrayImage> images)
    {
        Source = source;
        Images = images;
    }

    public ImageFolderSet Source { get; }
    /// <summary>One per file of <see cref="Source"/>, in its order.</summary>
    public IReadOnlyList<GrayImage> Images { get; }
    public int Count => Images.Count;

    /// <summary>The images at <paramref name="indices"/> of <see cref="Source"/> (see <see cref="ImageFolderSet.StratifiedSplit"/>).</summary>
    public PreparedImages Subset(IReadOnlyList<int> indices) => new(Source.Subset(indices), indices.Select(i => Images[i]).ToList());

    public static PreparedImages Prepare(ImageFolderSet set, ModelPreparation preparation, CancellationToken cancel = default)
    {
        var images = new GrayImage[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            images[i] = Prepare(set.Files[i].Path, preparation);
        }
        return new PreparedImages(set, images);
    }

    /// <summary>One file decoded and prepared; an unreadable or blank image is an error naming the file.</summary>
    public static GrayImage Prepare(string path, ModelPreparation preparation)
    {
        try
        {
            return preparation.Prepare(path);
        }
        catch (InvalidImageException e)
        {
            throw new ImageFolderException(e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}");
        }
    }

    /// <summary>As the byte images the ML.NET data views are made from (all of one size).</summary>
    public LabeledImages ToLabeledImages()
    {
        if (Count == 0) throw new InvalidOperationException("no images");
        if (Source.ClassNames.Count > 256) throw new ImageFolderException($"{Source.ClassNames.Count} classes: at most 256 are supported");
        int w = Images[0].Width, h = Images[0].Height;
        var pixels = new byte[Count * w * h];
        for (int i = 0; i < Count; i++)
        {
            if (Images[i].Width != w || Images[i].Height != h) throw new InvalidOperationException("prepared images differ in size");
            Images[i].ToBytes().CopyTo(pixels, i * w * h);
        }
        return new LabeledImages(pixels, Source.Files.Select(f => (byte)f.Label).ToArray(), h, w, Source.ClassNames);
    }
}
