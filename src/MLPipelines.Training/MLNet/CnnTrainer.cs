using Microsoft.ML;
using MLPipelines.Models;
using MLPipelines.Training.Onnx;
using static TorchSharp.torch;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// An ML.NET estimator that trains the assignment's CNN with TorchSharp inside <see cref="Fit"/>, so it chains
/// with ML.NET's image transforms: images → grayscale → resize → pixels → <b>CNN trainer</b> → predicted label.
/// Fit reads the pixel and label columns into tensors, trains with <see cref="DigitTrainer"/>, exports the
/// network as ONNX and returns ML.NET's ONNX transformer over it (<see cref="CnnModel"/>).
/// </summary>
public sealed class CnnTrainer : IEstimator<CnnModel>
{
    private readonly MLContext ml;

    public CnnTrainer(MLContext ml, CnnTrainerOptions options)
    {
        this.ml = ml;
        Options = options;
    }

    public CnnTrainerOptions Options { get; }

    public CnnModel Fit(IDataView input)
    {
        var o = Options;
        TorchRuntime.SetThreads(o.Training.Threads);
        int side = o.Network.InputSize;
        using var train = DataViewTensors.Read(input, o.FeatureColumnName, o.LabelColumnName, side, side, Normalization.Mnist);
        using var test = o.ValidationSet is null ? null
            : DataViewTensors.Read(o.ValidationSet, o.FeatureColumnName, o.LabelColumnName, side, side, Normalization.Mnist);

        manual_seed(o.Training.Seed);
        var network = o.InitialNetwork is { } initial
            ? (initial.Options.Classes == train.ClassNames.Count ? initial.Copy() : initial.WithNewOutput(train.ClassNames.Count))
            : new DigitNet(o.Network with { Classes = train.ClassNames.Count });
        try
        {
            using var trainer = new DigitTrainer(network, o.Training, train, test, o.CheckpointDirectory, o.Observer);
            if (o.ResumeFrom is not null) trainer.Restore(o.ResumeFrom);
            var outcome = trainer.Run(o.Cancellation);
            if (!outcome.Completed)
                throw new OperationCanceledException($"training stopped at epoch {outcome.State.Epoch}, batch {outcome.State.NextBatch}; checkpoint {outcome.LastCheckpoint}");
            byte[] onnx = DigitNetOnnxExporter.ToBytes(network, Normalization.Mnist);
            var scorer = CnnScorer.Create(ml, onnx, o.FeatureColumnName, train.ClassNames).Fit(input);
            return new CnnModel(scorer, network, train.ClassNames, outcome.State, onnx);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The schema Fit's model will produce. ML.NET does not let an outside estimator build schema columns, so
    /// this asks the same scorer chain, built over an untrained network of the same shape.
    /// </summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var label = inputSchema.FirstOrDefault(c => c.Name == Options.LabelColumnName);
        if (label.Name is null || !label.IsKey)
            throw new ArgumentException($"the label column '{Options.LabelColumnName}' must be a key (use MapValueToKey)");
        int classes = label.ItemType is Microsoft.ML.Data.KeyDataViewType key ? (int)key.Count : Options.Network.Classes;
        using var probe = new DigitNet(Options.Network with { Classes = classes });
        byte[] onnx = DigitNetOnnxExporter.ToBytes(probe, Normalization.Mnist);
        var names = Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return CnnScorer.Create(ml, onnx, Options.FeatureColumnName, names).GetOutputSchema(inputSchema);
    }
}
