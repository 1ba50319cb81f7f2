using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;

namespace MLPipelines.Animals.Heads;

/// <summary>Backbone features with their labels: what a head trains and is evaluated on.</summary>
/// <param name="Groups">The photo each row comes from, when several views of a photo are rows (augmentation):
/// cross-validation keeps a photo's rows in one fold. Null: every row is its own photo.</param>
public sealed record HeadData(float[][] Features, int[] Labels, IReadOnlyList<string> ClassNames, int[]? Groups = null)
{
    public int Count => Labels.Length;

    /// <summary>
    /// As an ML.NET data view with the columns the saved pipeline has at that point: <c>Label</c> (class name)
    /// and <c>Features</c> typed exactly as the ResNet18 ONNX output (Single[1,512,1,1]), so that a head trained
    /// here applies unchanged after <see cref="BackbonePipeline"/>.
    /// </summary>
    public IDataView ToDataView(MLContext ml)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, ResNet18Files.FeatureCount, 1, 1);
        var rows = Features.Select((f, i) => new Row { Label = ClassNames[Labels[i]], Features = f, Group = (Groups?[i] ?? i).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The class names in label order as a one-column view (fixes the key order of MapValueToKey).</summary>
    public IDataView ClassNamesView(MLContext ml) => ml.Data.LoadFromEnumerable(ClassNames.Select(n => new ClassName { Label = n }));

    public sealed class Row
    {
        public string Label { get; set; } = "";
        public float[] Features { get; set; } = [];
        public string Group { get; set; } = "";
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }
}
