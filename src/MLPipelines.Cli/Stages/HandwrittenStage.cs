using MLPipelines.Cli.Cli;
using MLPipelines.Reporting.Examine;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Stages;

/// <summary>Figure 6: the trained digit network on people's handwritten digits (photos and drawings).</summary>
public sealed class HandwrittenStage : IStage
{
    public string Name => "handwritten";
    public string Description => "the digit network on people's handwritten digits (figure 6)";
    public int Order => 120;
    public string Folder => $"{ReportContext.DigitsFolderName}/figures";

    public bool CanRun(StageContext context, out string reason)
    {
        reason = context.Dataset != Data.Datasets.KnownDatasets.Mnist
            ? $"the network is trained on {context.Dataset.Name}, not on digits"
            : HandwrittenFigures.WhyNot(context.Digits, context.Data) ?? "";
        return reason.Length == 0;
    }

    public StageStatus Run(StageContext context)
    {
        RunFigures.Handwritten(context.Digits!, context.Data);
        return StageStatus.Done;
    }
}
