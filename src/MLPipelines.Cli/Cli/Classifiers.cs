using MLPipelines.Prediction;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;

namespace MLPipelines.Cli.Cli;

/// <summary>Opens the model .zip a command is given (or a run folder's model.zip) for prediction.</summary>
public static class Classifiers
{
    /// <summary>Loads the model; with <paramref name="gpu"/>, on that CUDA device when ONNX Runtime has it, else a warning line says why not.</summary>
    public static ImageClassifier Load(string model, Core.Imaging.ImageLimits? limits = null, int? gpu = null)
    {
        string path = Directory.Exists(model) ? Path.Combine(model, "model.zip") : model;
        if (!File.Exists(path)) throw new UserError($"model not found: {path}");
        try
        {
            var classifier = ImageClassifier.Load(path, limits: limits, gpuDevice: gpu);
            if (classifier.DeviceNote is { } note) Console.Error.WriteLine($"warning: {note}");
            return classifier;
        }
        catch (Exception e) when (e is InvalidModelException or ArgumentException or InvalidDataException or IOException)
        {
            throw new UserError(e.Message);
        }
    }

    public static string Describe(ImageClassifier c)
    {
        var classes = c.Classes;
        string names = classes.Count <= 12 ? string.Join(" ", classes) : $"{string.Join(" ", classes.Take(10))} ...";
        return $"{c.Path} ({c.Metadata.Kind}, {classes.Count} classes: {names}; {c.Metadata.Width}x{c.Metadata.Height}, preprocessing {c.Metadata.Preprocessing})";
    }
}
