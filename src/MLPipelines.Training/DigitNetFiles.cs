using MLPipelines.Core.Models;
using MLPipelines.Models;
using MLPipelines.Training.MLNet;

namespace MLPipelines.Training;

/// <summary>
/// The digit network a model argument names: a model .zip (its TorchSharp weights), a checkpoint (.ckpt), or a training
/// run folder (its model.zip, else model.ckpt, else checkpoints/last.ckpt). Problems are <see cref="InvalidDataException"/>s
/// and <see cref="FileNotFoundException"/>s that say which file.
/// </summary>
public static class DigitNetFiles
{
    public static (DigitNet Network, string Path) Load(string model)
    {
        string zip = Directory.Exists(model) ? Path.Combine(model, "model.zip") : model;
        if (File.Exists(zip) && zip.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return (TorchWeights.Load(zip), Path.GetFullPath(zip));
            }
            catch (Exception e) when (e is InvalidModelException or IOException or System.Text.Json.JsonException)
            {
                throw new InvalidDataException(e.Message, e);
            }
        }
        string path = CheckpointOf(model);
        try
        {
            return (Checkpoint.LoadModel(path), path);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a usable checkpoint ({e.Message})", e);
        }
    }

    /// <summary>A checkpoint path from a .ckpt file or a run folder (its model.ckpt, else checkpoints/last.ckpt).</summary>
    public static string CheckpointOf(string path)
    {
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (Directory.Exists(path))
        {
            foreach (string candidate in new[] { Path.Combine(path, "model.ckpt"), Path.Combine(path, "checkpoints", "last.ckpt") })
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            throw new FileNotFoundException($"{path} holds no model (no model.zip, model.ckpt or checkpoints/last.ckpt)");
        }
        throw new FileNotFoundException($"model not found: {path}");
    }
}
