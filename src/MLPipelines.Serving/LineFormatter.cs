using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace MLPipelines.Serving;

/// <summary>
/// The server's log as the command line's other output: "12:03:04 loaded digits: ...", warnings and errors
/// marked as such, one line each (the stack trace of an error only when MLP_DEBUG is set).
/// </summary>
public sealed class LineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "mlp-lines";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string message = entry.Formatter(entry.State, entry.Exception);
        if (entry.Exception is { } e && !message.Contains(e.Message, StringComparison.Ordinal)) message += ": " + e.Message;
        string level = entry.LogLevel switch
        {
            LogLevel.Warning => "warning: ",
            >= LogLevel.Error => "error: ",
            _ => "",
        };
        textWriter.Write($"{DateTime.Now:HH:mm:ss} {level}{message.ReplaceLineEndings(" ")}{Environment.NewLine}");
        if (entry.Exception is not null && Environment.GetEnvironmentVariable("MLP_DEBUG") is { Length: > 0 })
            textWriter.WriteLine(entry.Exception);
    }
}

public static class LineFormatterExtensions
{
    /// <summary>Console logging in <see cref="LineFormatter"/>'s format; the framework's own messages from warnings up.</summary>
    public static ILoggingBuilder AddLineConsole(this ILoggingBuilder logging)
    {
        logging.AddConsole(o => o.FormatterName = LineFormatter.FormatterName).AddConsoleFormatter<LineFormatter, ConsoleFormatterOptions>();
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // The host logs a failed start (port in use) before throwing it; the caller reports the exception once.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging.AddFilter("System", LogLevel.Warning);
        return logging;
    }
}
