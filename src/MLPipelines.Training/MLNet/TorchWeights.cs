using System.Text.Json;
using MLPipelines.Models;
using MLPipelines.Core.Models;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// The TorchSharp network inside a model .zip, as two extra entries (<c>MLPipelines/torch/network.json</c>
/// and <c>MLPipelines/torch/weights.bin</c>) that ML.NET's Model.Load ignores. Later work — more epochs,
/// transfer learning — continues from them.
/// </summary>
public static class TorchWeights
{
    public const string NetworkEntry = "torch/network.json";
    public const string WeightsEntry = "torch/weights.bin";

    public static Dictionary<string, byte[]> Entries(DigitNet network)
    {
        var weights = new MemoryStream();
        network.save(weights);
        return new Dictionary<string, byte[]>
        {
            [NetworkEntry] = JsonSerializer.SerializeToUtf8Bytes(network.Options),
            [WeightsEntry] = weights.ToArray(),
        };
    }

    /// <summary>The network saved in a model .zip; an error when the model carries none.</summary>
    public static DigitNet Load(string zipPath)
    {
        byte[] options = ModelPackage.ReadEntry(zipPath, NetworkEntry)
            ?? throw new InvalidModelException($"{zipPath}: carries no TorchSharp network (no {ModelPackage.Folder}{NetworkEntry})");
        byte[] weights = ModelPackage.ReadEntry(zipPath, WeightsEntry)
            ?? throw new InvalidModelException($"{zipPath}: no {ModelPackage.Folder}{WeightsEntry}");
        var network = new DigitNet(JsonSerializer.Deserialize<DigitNetOptions>(options)
            ?? throw new InvalidModelException($"{zipPath}: empty {NetworkEntry}"));
        using var s = new MemoryStream(weights);
        network.load(s);
        return network;
    }
}
