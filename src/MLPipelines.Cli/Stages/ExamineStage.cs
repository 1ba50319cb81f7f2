using MLPipelines.Cli.Cli;
using MLPipelines.Reporting.Examine;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Stages;

/// <summary>The figures of the trained digit network (what <c>mlp examine</c> does), into RUN/digits/figures.</summary>
public sealed class ExamineStage : IStage
{
    public string Name => "examine";
    public string Description => "figures of the digit network: data, summary, curves, predictions, filters, mistakes";
    public int Order => 110;
    public string Folder => $"{ReportContext.DigitsFolderName}/figures";

    public bool CanRun(StageContext context, out string reason)
    {
        reason = context.Digits is null ? "no trained digit network in this run (the digits stage did not finish)" : "";
        return context.Digits is not null;
    }

    public StageStatus Run(StageContext context)
    {
        RunFigures.Digits(context.Digits!, context.Data, context.Training.Threads);
        return StageStatus.Done;
    }
}
