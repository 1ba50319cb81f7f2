using Microsoft.ML;
using MLPipelines.Core.Models;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// Re-saves a model made by the CNN trainer in the current model format (<see cref="ModelMetadata.CurrentFormat"/>)
/// from the TorchSharp network it carries: the same weights, the same image transforms, the same metadata, so the
/// network is the same; the format changes (2: the ImagePath input schema, a string PredictedLabel; 3: the picture's
/// preparation inside the model, see <see cref="NetworkModel"/>).
/// </summary>
public static class ModelUpgrade
{
    /// <summary>
    /// Writes <paramref name="path"/> re-saved to <paramref name="output"/>; false (nothing written) when it is already
    /// current, unless <paramref name="force"/> (which rebuilds its graphs with this version's preparation).
    /// </summary>
    public static bool Run(string path, string output, bool force = false)
    {
        var metadata = ModelPackage.ReadMetadata(path);
        if (metadata.Format >= ModelMetadata.CurrentFormat && !force) return false;
        using var network = TorchWeights.Load(path);
        if (network.Options.Classes != metadata.Classes.Count)
            throw new InvalidModelException($"{path}: its network has {network.Options.Classes} outputs but its metadata {metadata.Classes.Count} classes");
        NetworkModel.Save(new MLContext(seed: 1), network, metadata, output);
        return true;
    }
}
