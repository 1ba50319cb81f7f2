using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.MLNet;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;
using MLPipelines.Training.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Animals.Heads;

/// <summary>
/// An ML.NET estimator that trains the assignment's head with TorchSharp inside <see cref="Fit"/>: Linear F->hidden,
/// ReLU, Dropout, Linear hidden->N on the feature column, Adam on cross-entropy. The trained network is exported to
/// ONNX (<see cref="MlpHeadOnnxExporter"/>) and Fit returns ML.NET's ONNX scorer over it (<see cref="ClassifierScorer"/>:
/// Score and PredictedLabel, as every model of the project), so a saved pipeline holds no TorchSharp. The estimator
/// holds only its options: each Fit's result is its <see cref="MlpHeadModel"/>.
/// </summary>
public sealed class MlpHeadTrainer(MLCatalogs ml, MlpHeadOptions options) : IEstimator<MlpHeadModel>
{
    public MlpHeadOptions Options { get; } = options;

    public MlpHeadModel Fit(IDataView input)
    {
        var o = Options;
        o.Validate();
        TorchRuntime.SetThreads(o.Threads);
        var classes = DataViewTensors.ClassNames(input.Schema[o.LabelColumnName], KeyCount(input.Schema[o.LabelColumnName]));
        var (x, y) = Read(input);
        var (vx, vy) = o.ValidationSet is null ? (null, null) : Read(o.ValidationSet);
        using var _x = x; using var _y = y; using var _vx = vx; using var _vy = vy;

        manual_seed(o.Seed);
        using var net = Network((int)x.shape[1], o.Hidden, classes.Count, o.Dropout);
        using var optimizer = optim.Adam(net.parameters(), o.LearningRate, weight_decay: o.WeightDecay);
        var generator = new Generator((ulong)o.Seed);
        long n = x.shape[0];
        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            o.Cancellation.ThrowIfCancellationRequested();
            net.train();
            double lossSum = 0;
            using (var order = randperm(n, generator: generator))
            {
                for (long start = 0; start < n; start += o.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var index = order.narrow(0, start, Math.Min(o.BatchSize, n - start));
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(net.forward(x.index_select(0, index)), y.index_select(0, index));
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>() * index.shape[0];
                }
            }
            if (o.Progress is not null && (epoch == 1 || epoch == o.Epochs || epoch % 5 == 0))
                o.Progress.Report(string.Create(CultureInfo.InvariantCulture, $"mlp epoch {epoch}/{o.Epochs}: train loss {lossSum / n:F4}") + ValidationText(net, vx, vy));
        }
        net.eval();
        byte[] onnx = OnnxModelFile.ToBytes(MlpHeadOnnxExporter.Export(net, "AnimalsMlpHead"));
        return new MlpHeadModel(ClassifierScorer.Fit(ml, onnx, o.FeatureColumnName, classes, input), onnx, classes);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ClassifierScorer.OutputSchema(ml, inputSchema, Options.FeatureColumnName, Options.LabelColumnName);

    /// <summary>Layers named 0..3 as in a Sequential's state_dict: Linear, ReLU, Dropout, Linear.</summary>
    public static Sequential Network(int features, int hidden, int classes, double dropout) =>
        nn.Sequential(("0", nn.Linear(features, hidden)), ("1", nn.ReLU()), ("2", nn.Dropout(dropout)), ("3", nn.Linear(hidden, classes)));

    private static int KeyCount(DataViewSchema.Column label) =>
        label.Type is KeyDataViewType key ? (int)key.Count
            : throw new ArgumentException($"the label column '{label.Name}' must be a key (use MapValueToKey), got {label.Type}");

    private static string ValidationText(Sequential net, Tensor? vx, Tensor? vy)
    {
        if (vx is null || vy is null || vx.shape[0] == 0) return "";
        net.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = net.forward(vx);
        double loss = nn.functional.cross_entropy(logits, vy).item<float>();
        double accuracy = logits.argmax(1).eq(vy).to_type(ScalarType.Float32).mean().item<float>();
        net.train();
        return string.Create(CultureInfo.InvariantCulture, $", validation loss {loss:F4}, accuracy {accuracy:P2}");
    }

    /// <summary>The feature and key-label columns as tensors (labels 0-based).</summary>
    private (Tensor X, Tensor Y) Read(IDataView data)
    {
        var features = new List<float>();
        var labels = new List<long>();
        int width = 0;
        using (var cursor = data.GetRowCursor(data.Schema.Where(c => c.Name == Options.FeatureColumnName || c.Name == Options.LabelColumnName)))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(data.Schema[Options.FeatureColumnName]);
            var getLabel = cursor.GetGetter<uint>(data.Schema[Options.LabelColumnName]);
            VBuffer<float> row = default;
            uint key = 0;
            while (cursor.MoveNext())
            {
                getFeatures(ref row);
                getLabel(ref key);
                if (key == 0) throw new InvalidDataException("a training row has a label outside the class list");
                width = row.Length;
                features.AddRange(row.DenseValues());
                labels.Add(key - 1);
            }
        }
        return (tensor(features.ToArray()).reshape(labels.Count, width), tensor(labels.ToArray()));
    }
}

/// <summary>What <see cref="MlpHeadTrainer"/> returns: ML.NET's scorer over the exported head, and that ONNX graph.</summary>
public sealed class MlpHeadModel(ITransformer scorer, byte[] onnx, IReadOnlyList<string> classNames) : ITransformer
{
    public ITransformer Scorer { get; } = scorer;
    public byte[] Onnx { get; } = onnx;
    public IReadOnlyList<string> ClassNames { get; } = classNames;

    public bool IsRowToRowMapper => Scorer.IsRowToRowMapper;
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Scorer.GetOutputSchema(inputSchema);
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Scorer.GetRowToRowMapper(inputSchema);
    public IDataView Transform(IDataView input) => Scorer.Transform(input);
    void ICanSaveModel.Save(ModelSaveContext ctx) => Scorer.Save(ctx);
}

/// <summary>The MLP head on ML.NET's multiclass catalog: <c>ml.MulticlassClassification.Trainers.MlpHead(options)</c>, in the caller's context.</summary>
public static class MlpHeadCatalog
{
    public static MlpHeadTrainer MlpHead(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpHeadOptions? options = null) =>
        new(MLCatalogs.Of(catalog), options ?? new MlpHeadOptions());
}
