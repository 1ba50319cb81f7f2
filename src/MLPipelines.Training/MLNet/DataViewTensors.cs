using MLPipelines.Core.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLPipelines.Training.MLNet;

/// <summary>Reads a feature vector column and a key label column of an IDataView into a <see cref="TensorDataset"/>.</summary>
public static class DataViewTensors
{
    public static TensorDataset Read(IDataView data, string features, string label, int height, int width, Normalization normalization)
    {
        var featureColumn = data.Schema[features];
        var labelColumn = data.Schema[label];
        if (featureColumn.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector || vector.Size != height * width)
            throw new InvalidOperationException($"column {features} must be a vector of {height * width} numbers (got {featureColumn.Type})");
        if (labelColumn.Type is not KeyDataViewType key)
            throw new InvalidOperationException($"column {label} must be a key (use MapValueToKey), got {labelColumn.Type}");

        var pixels = new List<float>();
        var labels = new List<long>();
        using (var cursor = data.GetRowCursor([featureColumn, labelColumn]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
            var getLabel = cursor.GetGetter<uint>(labelColumn);
            VBuffer<float> row = default;
            uint k = 0;
            while (cursor.MoveNext())
            {
                getFeatures(ref row);
                getLabel(ref k);
                if (k == 0) throw new InvalidOperationException($"row {labels.Count}: missing label");
                foreach (var v in row.DenseValues()) pixels.Add(v);
                labels.Add(k - 1);
            }
        }
        int n = labels.Count;
        using var scope = NewDisposeScope();
        var images = tensor(pixels.ToArray()).reshape(n, 1, height, width)
            .div_(255f).sub_(normalization.Mean).div_(normalization.Std).MoveToOuterDisposeScope();
        var labelTensor = tensor(labels.ToArray()).MoveToOuterDisposeScope();
        return new TensorDataset(images, labelTensor, ClassNames(labelColumn, (int)key.Count));
    }

    /// <summary>The key column's values as text (e.g. "alpha", "beta"), else "0".."K-1".</summary>
    public static IReadOnlyList<string> ClassNames(DataViewSchema.Column label, int count)
    {
        if (label.Annotations.Schema.GetColumnOrNull("KeyValues") is { } kv && kv.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            label.GetKeyValues(ref values);
            return values.DenseValues().Select(v => v.ToString()).ToList();
        }
        return Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
