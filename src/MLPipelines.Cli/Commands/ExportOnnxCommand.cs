using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Training;
using MLPipelines.Training.Onnx;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp export onnx</c>: a model as one ONNX file for any runtime (see <see cref="ModelOnnxExport"/>).</summary>
public static class ExportOnnxCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model")
        {
            Description = "A trained model: a model .zip, a run folder, its model.ckpt, or any checkpoint (.ckpt)",
        };
        var pixelsOnly = new Option<bool>("--pixels-only")
        {
            Description = "Export the network alone (prepared 28x28 pixels in), not the model's picture preparation",
        };
        var outOption = new Option<string?>("--out")
        {
            Description = "The .onnx file to write (default: MODEL's name with .onnx, next to it)",
            HelpName = "FILE",
        };
        var command = new Command("onnx",
            "Export a model to ONNX. A digit or letter model .zip is exported whole: input Canvas uint8 [1, 256, 256, 4] " +
            "(the picture fitted into the canvas, RGBA), outputs Probabilities, PredictedIndex and InkFound, class names in " +
            "the metadata. A run folder or checkpoint (or --pixels-only): input Pixels float32 [batch, 784] (0..255, bright " +
            "ink on dark), outputs Probabilities and LogProbabilities float32 [batch, classes]")
        {
            modelArg, outOption, pixelsOnly,
        };
        command.WithExamples(
            "mlp export onnx models/digits.zip --out digits.onnx   (the whole model, for Node or the browser)",
            "mlp export onnx runs/20261125-140000-mnist-train",
            "mlp export onnx runs/20261125-140000-mnist-train/checkpoints/epoch-03.ckpt --out models/digits.onnx");
        command.SetAction(parse =>
        {
            string model = parse.GetValue(modelArg)!;
            ModelOnnxExportResult result;
            string output;
            try
            {
                output = OutputPath(model, parse.GetValue(outOption), DigitNetFiles.Locate(model));
                result = ModelOnnxExport.Export(model, output, parse.GetValue(pixelsOnly));
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                throw new UserError(e.Message);
            }
            var onnx = result.Model;
            Console.WriteLine($"model:  {result.SourcePath} ({result.NetworkOptions.Classes} classes, kernel {result.NetworkOptions.KernelSize})");
            Console.WriteLine($"wrote:  {output} ({Size(new FileInfo(output).Length)})" +
                (result.Preparation is null ? "" : $", with the {result.Preparation} preparation of a {result.Canvas}x{result.Canvas} canvas"));
            foreach (var input in onnx.Graph.Input) Console.WriteLine($"input:  {OnnxModelFile.Describe(input)}");
            foreach (var o in onnx.Graph.Output) Console.WriteLine($"output: {OnnxModelFile.Describe(o)}");
            Console.WriteLine($"format: ONNX IR {onnx.IrVersion}, opset {onnx.OpsetImport[0].Version}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>--out, else MODEL with .onnx for its extension (a folder gets .onnx appended), beside MODEL.</summary>
    public static string OutputPath(string model, string? requested, string source)
    {
        string path;
        if (requested is not null)
        {
            path = Path.GetFullPath(requested);
        }
        else
        {
            string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(model));
            path = Directory.Exists(full) ? full + OnnxModelFile.Extension : Path.ChangeExtension(full, OnnxModelFile.Extension);
        }
        if (Directory.Exists(path)) throw new UserError($"--out {path} is a folder; give a file name");
        if (string.Equals(path, Path.GetFullPath(source), StringComparison.Ordinal))
            throw new UserError($"--out {path} would overwrite the model itself");
        return path;
    }

    private static string Size(long bytes) => bytes < 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB");
}
