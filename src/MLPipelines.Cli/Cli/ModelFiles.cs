using MLPipelines.Core.Runs;
using MLPipelines.Models;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Training;
using MLPipelines.Training.MLNet;

namespace MLPipelines.Cli.Cli;

/// <summary>Finds and opens the model files commands are given, and publishes the ones they make.</summary>
public static class ModelFiles
{
    /// <summary>Overrides where the shared default models live (models/digits.zip, models/greek.zip): a folder.</summary>
    public const string FolderVariable = "MLP_MODELS";

    /// <summary>The shared default models' folder: $MLP_MODELS, else the project's models/.</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } env ? Path.GetFullPath(env)
            : Path.Combine(Data.ProjectRoot.FindOrCurrent(), "models");

    /// <summary>
    /// Copies the run's model.zip to <paramref name="modelOut"/> when one is set (saying what it replaced there, and
    /// keeping the replaced model in the run folder); returns where the model is for other commands.
    /// </summary>
    public static string Publish(RunFolder run, string? modelOut)
    {
        string model = run.File("model.zip");
        if (modelOut is null || Path.GetFullPath(modelOut) == model)
        {
            Console.WriteLine($"model: {model} (in the run folder; --model-out PATH saves a copy elsewhere)");
            return model;
        }
        PublishResult result;
        try
        {
            result = ModelPublisher.Publish(model, modelOut, run.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot save the model at {modelOut}: {e.Message} (it is in {model})");
        }
        if (result.Replaced)
        {
            Console.WriteLine($"replaced {result.Path}: {result.ReplacedDescription}");
            Console.WriteLine($"  (the replaced model is kept at {result.ReplacedCopy})");
            run.Log($"replaced {result.Path} ({result.ReplacedDescription}); kept at {result.ReplacedCopy}");
        }
        Console.WriteLine($"model: {result.Path} (and {model})");
        return result.Path;
    }

    /// <summary>A checkpoint path from a .ckpt file or a run folder (its model.ckpt, else checkpoints/last.ckpt).</summary>
    public static string ResolveCheckpoint(string path)
    {
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (Directory.Exists(path))
        {
            foreach (string candidate in new[] { Path.Combine(path, "model.ckpt"), Path.Combine(path, "checkpoints", "last.ckpt") })
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            throw new UserError($"{path} holds no model (no model.ckpt or checkpoints/last.ckpt)");
        }
        throw new UserError($"model not found: {path}");
    }

    public static DigitNet LoadCheckpointModel(string path)
    {
        try
        {
            return Checkpoint.LoadModel(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new UserError($"{path}: not a usable checkpoint ({e.Message})");
        }
    }

    /// <summary>
    /// The digit network a MODEL argument names (a model .zip, a .ckpt file or a run folder) and the file it
    /// came from. The one place that turns a MODEL argument into a network.
    /// </summary>
    public static (DigitNet Network, string Path) LoadDigitNet(string model)
    {
        string zip = Directory.Exists(model) ? Path.Combine(model, "model.zip") : model;
        if (File.Exists(zip) && zip.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return (TorchWeights.Load(zip), Path.GetFullPath(zip));
            }
            catch (Exception e) when (e is InvalidModelException or InvalidDataException or IOException or System.Text.Json.JsonException)
            {
                throw new UserError(e.Message);
            }
        }
        string path = ResolveCheckpoint(model);
        return (LoadCheckpointModel(path), path);
    }
}
