using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Commands;
using MLPipelines.Data.Datasets;
using MLPipelines.Reporting.Report;
using MLPipelines.Reporting.Runs;

namespace MLPipelines.Cli.Stages;

/// <summary>Train the digit network on MNIST and test it (what <c>mlp mnist train</c> does), into RUN/digits.</summary>
public sealed class DigitsStage : IStage
{
    public string Name => ReportContext.DigitsFolderName;
    public string Description => "train the digit network on MNIST and test it";
    public int Order => 100;

    public bool CanRun(StageContext context, out string reason)
    {
        var spec = KnownDatasets.Mnist;
        string folder = DatasetAccess.Folder(context.Data, spec);
        // Missing MNIST is downloaded (it has mirrors), so the stage can always try.
        reason = IdxDatasetLoader.IsComplete(spec, folder) ? "" : $"MNIST is not in {folder}; it will be downloaded";
        return true;
    }

    public StageStatus Run(StageContext context)
    {
        var run = context.Folder(Name);
        var options = new MnistTrainCommand.RunOptions(KnownDatasets.Mnist.Name, "", context.Model, context.Training, context.CommandLine);
        // The model stays in the run folder: models/digits.zip (committed) changes only by 'mlp mnist train'.
        int code = MnistTrainCommand.Start(run, options, context.Data, modelOut: run.File("model.zip"));
        return code == ExitCodes.Ok ? StageStatus.Done
            : code == ExitCodes.Interrupted ? StageStatus.Interrupted
            : throw new UserError($"training ended with exit code {code}");
    }
}
