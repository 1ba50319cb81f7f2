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
        string path = Locate(model);
        if (IsModelZip(path))
        {
            try
            {
                return (TorchWeights.Load(path), path);
            }
            catch (Exception e) when (e is InvalidModelException or IOException or System.Text.Json.JsonException)
            {
                throw new InvalidDataException(e.Message, e);
            }
        }
        try
        {
            return (Checkpoint.LoadModel(path), path);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a usable checkpoint ({e.Message})", e);
        }
    }

    /// <summary>The file <see cref="Load"/> reads for <paramref name="model"/> (full path), without reading it.</summary>
    public static string Locate(string model)
    {
        string zip = Directory.Exists(model) ? Path.Combine(model, "model.zip") : model;
        return File.Exists(zip) && IsModelZip(zip) ? Path.GetFullPath(zip) : CheckpointOf(model);
    }

    private static bool IsModelZip(string path) => path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

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
