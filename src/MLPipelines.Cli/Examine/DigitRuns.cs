using MLPipelines.Cli.Cli;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Examine;

/// <summary>Finds the digit training results a command is pointed at: a training run folder, or an <c>mlp all</c> run's digits/.</summary>
public static class DigitRuns
{
    public static DigitRunFiles Find(string path)
    {
        var run = RunFolder.Open(path);
        var context = new ReportContext(run.Path);
        return context.Digits ?? throw new UserError(
            $"{path} holds no training results (no evaluation.json and options.json in it or in its {ReportContext.DigitsFolderName}/ folder): " +
            "make them with 'mlp all' or 'mlp mnist train'");
    }

    /// <summary>Runs the reporting side's reading and turns a bad file into a one-line error.</summary>
    public static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (RunFileException e)
        {
            throw new UserError(e.Message);
        }
    }
}
