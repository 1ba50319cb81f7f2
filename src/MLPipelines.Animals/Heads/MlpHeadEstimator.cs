using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;
using MLPipelines.Training.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLPipelines.Animals.Heads;

/// <summary>
/// An ML.NET estimator that trains the assignment's head with TorchSharp inside <see cref="Fit"/>: Linear F->256,
/// ReLU, Dropout, Linear 256->N on the feature column, Adam on cross-entropy. The trained network is exported to
/// ONNX (<see cref="MlpHeadOnnxExporter"/>) and Fit returns ML.NET's ONNX scorer over it (<see cref="CnnScorer"/>:
/// Score and PredictedLabel, as every model of the project), so a saved pipeline holds no TorchSharp.
/// </summary>
public sealed class MlpHeadEstimator(MLContext ml, MlpHeadOptions options, IReadOnlyList<string> classes, string labelKeyColumn,
    IDataView? validation = null, Action<string>? log = null, CancellationToken cancel = default) : IEstimator<ITransformer>
{
    private readonly string featureColumn = BackbonePipeline.FeaturesColumn;

    /// <summary>The exported head of the last Fit.</summary>
    public byte[]? Onnx { get; private set; }

    public ITransformer Fit(IDataView input)
    {
        options.Validate();
        TorchRuntime.SetThreads(options.Threads);
        var (x, y) = Read(input);
        var (vx, vy) = validation is null ? (null, null) : Read(validation);
        using var _x = x; using var _y = y; using var _vx = vx; using var _vy = vy;

        manual_seed(options.Seed);
        using var net = Network((int)x.shape[1], options.Hidden, classes.Count, options.Dropout);
        using var optimizer = optim.Adam(net.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var generator = new Generator((ulong)options.Seed);
        long n = x.shape[0];
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            net.train();
            double lossSum = 0;
            using (var order = randperm(n, generator: generator))
            {
                for (long start = 0; start < n; start += options.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var index = order.narrow(0, start, Math.Min(options.BatchSize, n - start));
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(net.forward(x.index_select(0, index)), y.index_select(0, index));
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>() * index.shape[0];
                }
            }
            if (log is not null && (epoch == 1 || epoch == options.Epochs || epoch % 5 == 0))
                log(string.Create(CultureInfo.InvariantCulture, $"mlp epoch {epoch}/{options.Epochs}: train loss {lossSum / n:F4}") + ValidationText(net, vx, vy));
        }
        net.eval();
        Onnx = OnnxModelFile.ToBytes(MlpHeadOnnxExporter.Export(net, "AnimalsMlpHead"));
        return CnnScorer.Create(ml, Onnx, featureColumn, classes).Fit(input);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        using var probe = Network(ResNet18Files.FeatureCount, options.Hidden, classes.Count, options.Dropout);
        probe.eval();
        byte[] onnx = OnnxModelFile.ToBytes(MlpHeadOnnxExporter.Export(probe, "AnimalsMlpHead"));
        return CnnScorer.Create(ml, onnx, featureColumn, classes).GetOutputSchema(inputSchema);
    }

    /// <summary>Layers named 0..3 as in a Sequential's state_dict: Linear, ReLU, Dropout, Linear.</summary>
    public static Sequential Network(int features, int hidden, int classes, double dropout) =>
        nn.Sequential(("0", nn.Linear(features, hidden)), ("1", nn.ReLU()), ("2", nn.Dropout(dropout)), ("3", nn.Linear(hidden, classes)));

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
        using (var cursor = data.GetRowCursor(data.Schema.Where(c => c.Name == featureColumn || c.Name == labelKeyColumn)))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(data.Schema[featureColumn]);
            var getLabel = cursor.GetGetter<uint>(data.Schema[labelKeyColumn]);
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
