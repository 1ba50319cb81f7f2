using MLPipelines.Cli;

namespace MLPipelines.Tests.Support;

/// <summary>Runs <c>mlp</c> in this process, capturing what it prints.</summary>
public sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public static CliRun Of(params string[] args)
    {
        var outWriter = new StringWriter();
        var errWriter = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(outWriter);
        Console.SetError(errWriter);
        try
        {
            int code = Program.Main(args);
            return new CliRun(code, outWriter.ToString(), errWriter.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>The convention for bad input: exactly one line, starting with "error: ".</summary>
    public void AssertOneLineError(string expectedPart)
    {
        Assert.AreNotEqual(0, ExitCode, Output);
        string[] lines = Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, Errors);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expectedPart, lines[0]);
    }
}
