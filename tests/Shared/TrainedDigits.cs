using MLPipelines.Core.Datasets;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;
using static TorchSharp.torch;

namespace MLPipelines.Tests.Support;

/// <summary>
/// A trained digit network for the transfer tests: the project's models/digits.zip when it is there, else one
/// trained here on MNIST (one epoch of the tuned recipe, seeded), once per test run.
/// </summary>
public static class TrainedDigits
{
    private static (DigitNetOptions Options, byte[] Weights)? saved;

    public static DigitNet Get()
    {
        saved ??= Load();
        var net = new DigitNet(saved.Value.Options);
        using var s = new MemoryStream(saved.Value.Weights);
        net.load(s);
        return net;
    }

    /// <summary>Writes the network as a model .zip holding its TorchSharp entries (what <c>--digits</c> reads).</summary>
    public static void SaveAsModel(string path)
    {
        using var net = Get();
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var (name, bytes) in TorchWeights.Entries(net))
        {
            using var s = zip.CreateEntry(ModelPackage.Folder + name).Open();
            s.Write(bytes);
        }
    }

    private static (DigitNetOptions, byte[]) Load()
    {
        string? root = MLPipelines.Data.ProjectRoot.Find(AppContext.BaseDirectory);
        string committed = root is null ? "" : Path.Combine(root, "models", "digits.zip");
        using var net = File.Exists(committed) ? TorchWeights.Load(committed) : Train();
        var m = new MemoryStream();
        net.save(m);
        return (net.Options, m.ToArray());
    }

    private static DigitNet Train()
    {
        var train = IdxDatasetLoader.Load(KnownDatasets.Mnist, TestData.Mnist, DataSplit.Train);
        using var tensors = new TensorDataset(train, Normalization.Mnist);
        manual_seed(3);
        var net = new DigitNet();
        using var trainer = new DigitTrainer(net, Recipes.Tuned with { Epochs = 1, Threads = 1, Seed = 3 }, tensors, null);
        trainer.Run();
        return net;
    }
}
