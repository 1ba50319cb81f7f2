using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Models;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// What <see cref="CnnTrainer"/> returns: the trained TorchSharp network and, for ML.NET, the scorer built over
/// its ONNX export. Every ITransformer member goes to the scorer, and so does saving: a saved pipeline holds
/// only ML.NET's own transformers. The network stays available for more training, transfer learning and
/// saving its weights beside the model (<see cref="TorchWeights"/>).
/// </summary>
public sealed class CnnModel : ITransformer, IDisposable
{
    internal CnnModel(ITransformer scorer, DigitNet network, IReadOnlyList<string> classNames, CheckpointState state, byte[] onnx)
    {
        Scorer = scorer;
        Network = network;
        ClassNames = classNames;
        State = state;
        Onnx = onnx;
    }

    public ITransformer Scorer { get; }
    public DigitNet Network { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Where training ended: curves, epochs, time.</summary>
    public CheckpointState State { get; }
    /// <summary>The exported ONNX graph the scorer runs.</summary>
    public byte[] Onnx { get; }

    public bool IsRowToRowMapper => Scorer.IsRowToRowMapper;
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Scorer.GetOutputSchema(inputSchema);
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Scorer.GetRowToRowMapper(inputSchema);
    public IDataView Transform(IDataView input) => Scorer.Transform(input);
    void ICanSaveModel.Save(ModelSaveContext ctx) => Scorer.Save(ctx);

    public void Dispose() => Network.Dispose();
}
