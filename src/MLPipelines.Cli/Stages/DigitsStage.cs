using MLPipelines.Data.Download;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Commands;
using MLPipelines.Data.Datasets;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Stages;

/// <summary>Train the digit network on MNIST and test it (what <c>mlp mnist train</c> does), into RUN/digits.</summary>
public sealed class DigitsStage : IStage
{
    public string Name => ReportContext.DigitsFolderName;
    public string Description => "train the digit network on MNIST (or --dataset) and test it";
    public int Order => 100;

    public bool CanRun(StageContext context, out string reason)
    {
        var spec = context.Dataset;
        string folder = DatasetAccess.Folder(context.Data, spec);
        bool complete = IdxDatasetLoader.IsComplete(spec, folder);
        // Missing files of a set with mirrors are downloaded, so the stage can try.
        string name = spec == KnownDatasets.Mnist ? "MNIST" : spec.Name;
        reason = complete ? "" : spec.Mirrors.Count > 0 ? $"{name} is not in {folder}; it will be downloaded" : $"{name} is not usable in {folder}";
        return complete || spec.Mirrors.Count > 0;
    }

    public StageStatus Run(StageContext context)
    {
        var run = context.Folder(Name);
        var spec = context.Dataset;
        // The model stays in the run folder (ModelOut null): models/digits.zip (committed) changes only by 'mlp mnist train'.
        var options = new Training.Digits.DigitTrainingOptions
        {
            Dataset = spec.Reference,
            Classes = spec.Location is null ? null : spec.ClassNames,
            Model = context.Model with { Classes = spec.ClassNames.Count },
            Training = context.Training,
            CommandLine = context.CommandLine,
        };
        int code = MnistTrainCommand.Start(run, options, context.Data);
        return code == ExitCodes.Ok ? StageStatus.Done
            : code == ExitCodes.Interrupted ? StageStatus.Interrupted
            : throw new UserError($"training ended with exit code {code}");
    }
}
