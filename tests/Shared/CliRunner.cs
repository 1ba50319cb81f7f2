using MLPipelines.Cli;
using Spectre.Console;

namespace MLPipelines.Tests.Support;

/// <summary>Runs <c>mlp</c> in-process and captures what it prints.</summary>
public static class CliRunner
{
    private static readonly object ConsoleLock = new();

    public static (int Code, string Out, string Error) Mlp(params string[] args) => Capture(() => Program.Main(args));

    /// <summary>Runs <paramref name="action"/> with the console (and Spectre.Console's, which keeps the writer it first saw) captured.</summary>
    public static (int Code, string Out, string Error) Capture(Func<int> action)
    {
        lock (ConsoleLock)
        {
            TextWriter stdout = Console.Out, stderr = Console.Error;
            var spectre = AnsiConsole.Console;
            using var o = new StringWriter();
            using var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(o) });
            try
            {
                return (action(), o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
                AnsiConsole.Console = spectre;
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
