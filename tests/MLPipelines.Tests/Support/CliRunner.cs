using MLPipelines.Cli;

namespace MLPipelines.Tests.Support;

/// <summary>Runs <c>mlp</c> in-process and captures what it prints.</summary>
public static class CliRunner
{
    private static readonly object ConsoleLock = new();

    public static (int Code, string Out, string Error) Mlp(params string[] args)
    {
        lock (ConsoleLock)
        {
            TextWriter stdout = Console.Out, stderr = Console.Error;
            using var o = new StringWriter();
            using var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            try
            {
                return (Program.Main(args), o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }
    }

    /// <summary>Asserts the one-line error contract: a single "error:" line, no stack trace.</summary>
    public static void AssertOneErrorLine(string error, string? contains = null)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, lines, error);
        Assert.IsFalse(error.Contains("   at ", StringComparison.Ordinal), "no stack trace: " + error);
        if (contains is not null) StringAssert.Contains(lines[0], contains);
    }
}
