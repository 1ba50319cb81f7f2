using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Core.Models;
using MLPipelines.Training.MLNet;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp model upgrade</c>: re-saves a digit or letter model in the current model format, same weights.</summary>
public static class ModelUpgradeCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "A model .zip made by 'mlp mnist train' or 'mlp greek train'" };
        var output = new Option<string?>("--out") { Description = "Where to write the upgraded model", HelpName = "PATH" };
        var inPlace = new Option<bool>("--in-place") { Description = "Replace MODEL, keeping the old file beside it as NAME.formatN.zip (N: its old format)" };
        var force = new Option<bool>("--force") { Description = "Re-save a model already in the current format too (its preparation graph rebuilt by this version)" };
        var command = new Command("upgrade", $"Re-save a model in model format {ModelMetadata.CurrentFormat} (an image path in, the picture prepared inside the model, a string PredictedLabel out) from the network it carries")
        {
            modelArg, output, inPlace, force,
        };
        command.WithExamples("mlp model upgrade old-digits.zip --out digits.zip", "mlp model upgrade models/digits.zip --in-place");
        command.SetAction(parse =>
        {
            string model = Path.GetFullPath(parse.GetValue(modelArg)!);
            if (!File.Exists(model)) throw new UserError($"model not found: {model}");
            string? target = parse.GetValue(output);
            bool replace = parse.GetValue(inPlace);
            if ((target is null) == !replace) throw new UserError("give --out PATH or --in-place");
            if (target is not null && File.Exists(target)) throw new UserError($"{target} exists: give another --out");
            string written = target is null ? model + ".upgrading.tmp" : Path.GetFullPath(target);
            bool upgraded;
            int format;
            try
            {
                format = ModelPackage.ReadMetadata(model).Format;
                upgraded = ModelUpgrade.Run(model, written, parse.GetValue(force));
            }
            catch (InvalidModelException e)
            {
                throw new UserError(e.Message);
            }
            if (!upgraded)
            {
                Console.WriteLine($"{model} is already in model format {ModelMetadata.CurrentFormat}: nothing to do");
                return ExitCodes.Ok;
            }
            if (replace)
            {
                string old = FreeName(Path.Combine(Path.GetDirectoryName(model)!, $"{Path.GetFileNameWithoutExtension(model)}.format{format}.zip"));
                File.Move(model, old);
                File.Move(written, model);
                Console.WriteLine($"upgraded {model} to model format {ModelMetadata.CurrentFormat}; the old file is {old}");
            }
            else
            {
                Console.WriteLine($"wrote {written} (model format {ModelMetadata.CurrentFormat}, the same network as {model})");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string FreeName(string path)
    {
        string candidate = path;
        for (int i = 2; File.Exists(candidate); i++) candidate = Path.ChangeExtension(path, null) + $"-{i}.zip";
        return candidate;
    }
}
