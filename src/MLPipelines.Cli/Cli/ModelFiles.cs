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
    public const string FolderVariable = Data.DefaultModels.FolderVariable;

    /// <summary>The shared default models' folder: $MLP_MODELS, else the project's models/.</summary>
    public static string DefaultFolder => Data.DefaultModels.Folder;

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

    /// <summary>
    /// The digit network a MODEL argument names (a model .zip, a .ckpt file or a run folder) and the file it
    /// came from (<see cref="DigitNetFiles"/>), with its problems as one-line errors.
    /// </summary>
    public static (DigitNet Network, string Path) LoadDigitNet(string model)
    {
        try
        {
            return DigitNetFiles.Load(model);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new UserError(e.Message);
        }
    }
}
