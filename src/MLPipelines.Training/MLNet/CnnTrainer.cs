using MLPipelines.Core.Imaging;
using Microsoft.ML;
using MLPipelines.Core.MLNet;
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
    private readonly MLCatalogs ml;

    /// <param name="catalogs">The caller's ML.NET environment (see <see cref="CnnCatalog"/>), whose transforms the trained model is made of.</param>
    public CnnTrainer(MLCatalogs catalogs, CnnTrainerOptions options)
    {
        ml = catalogs;
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

        // Into the caller's MLContext.Log, as ML.NET's own trainers report.
        using var channel = ml.Environment.Register(nameof(CnnTrainer)).Start("Fit");
        channel.Info(Microsoft.ML.Runtime.MessageSensitivity.None, $"training the CNN on {train.Count} images of {train.ClassNames.Count} classes, {o.Training.Epochs} epochs");
        manual_seed(o.Training.Seed);
        var network = o.InitialNetwork is { } initial
            ? (initial.Options.Classes == train.ClassNames.Count && !o.NewOutputLayer ? initial.Copy() : initial.WithNewOutput(train.ClassNames.Count))
            : new DigitNet(o.Network with { Classes = train.ClassNames.Count });
        try
        {
            using var trainer = new DigitTrainer(network, o.Training, train, test, o.CheckpointDirectory, o.Observer);
            if (o.ResumeFrom is not null) trainer.Restore(o.ResumeFrom);
            var outcome = trainer.Run(o.Cancellation);
            if (!outcome.Completed)
                throw new OperationCanceledException($"training stopped at epoch {outcome.State.Epoch}, batch {outcome.State.NextBatch}; checkpoint {outcome.LastCheckpoint}");
            channel.Info(Microsoft.ML.Runtime.MessageSensitivity.None, $"trained {outcome.State.Epoch} epochs in {outcome.State.TrainSeconds:F1} s");
            byte[] onnx = DigitNetOnnxExporter.ToBytes(network, Normalization.Mnist);
            var scorer = ClassifierScorer.Fit(ml, onnx, o.FeatureColumnName, train.ClassNames, input);
            return new CnnModel(scorer, network, train.ClassNames, outcome.State, onnx);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The schema Fit's model will produce: the input's columns, Score and PredictedLabel (computed from the shapes).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var label = inputSchema.FirstOrDefault(c => c.Name == Options.LabelColumnName);
        if (label.Name is null || !label.IsKey)
            throw new ArgumentException($"the label column '{Options.LabelColumnName}' must be a key (use MapValueToKey)");
        return ClassifierScorer.OutputSchema(ml, inputSchema, Options.FeatureColumnName, Options.LabelColumnName);
    }
}
