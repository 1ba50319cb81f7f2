using MLPipelines.Core.Imaging;
using MLPipelines.Data.Datasets;
using static TorchSharp.torch;

namespace MLPipelines.Training;

/// <summary>
/// A whole labelled image set as two tensors, normalized once: images [N, 1, H, W] float32 and labels [N]
/// int64. Batches are taken from it without copying the data set again.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    public TensorDataset(LabeledImages images, Normalization normalization)
    {
        ClassNames = images.ClassNames;
        using var scope = NewDisposeScope();
        Images = tensor(images.Pixels, ScalarType.Byte)
            .reshape(images.Count, 1, images.Height, images.Width)
            .to_type(ScalarType.Float32)
            .div_(255f).sub_(normalization.Mean).div_(normalization.Std)
            .MoveToOuterDisposeScope();
        Labels = tensor(images.Labels, ScalarType.Byte).to_type(ScalarType.Int64).MoveToOuterDisposeScope();
        Count = images.Count;
    }

    public TensorDataset(Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        Images = images;
        Labels = labels;
        ClassNames = classNames;
        Count = (int)labels.shape[0];
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count { get; }

    /// <summary>Rows <paramref name="start"/>.. of <paramref name="order"/> (a permutation), or a plain slice when order is null.</summary>
    public (Tensor Images, Tensor Labels) Batch(Tensor? order, long start, long size)
    {
        if (order is null) return (Images.narrow(0, start, size), Labels.narrow(0, start, size));
        using var index = order.narrow(0, start, size);
        return (Images.index_select(0, index), Labels.index_select(0, index));
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
