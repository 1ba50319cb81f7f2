using System.Diagnostics;
using MLPipelines.Core.Runs;
using Spectre.Console;

namespace MLPipelines.Cli.Cli;

/// <summary>Where long work reports how far it is: a bar with ETA in a terminal, a line now and then otherwise.</summary>
public interface IProgressSink
{
    void Report(double done, string? status = null);
    /// <summary>A line of text that stays (above the bar in a terminal).</summary>
    void Line(string text);
}

public static class ProgressDisplay
{
    /// <summary>
    /// Runs a library call that reports <see cref="WorkProgress"/>: its units become the bar's fraction, its messages lines.
    /// Reports arrive on the caller's thread, in order.
    /// </summary>
    public static T Run<T>(string title, Func<IProgress<WorkProgress>, T> work) =>
        Run(title, 1, sink => work(new SinkProgress(sink)));

    private sealed class SinkProgress(IProgressSink sink) : IProgress<WorkProgress>
    {
        private readonly object gate = new();

        public void Report(WorkProgress value)
        {
            lock (gate)
            {
                if (value.IsWarning) Console.Error.WriteLine($"warning: {value.Message}");
                else if (value.Message is { } line) sink.Line(line);
                else if (value.Total > 0) sink.Report(value.Done / value.Total, value.Status);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> with a progress display of <paramref name="total"/> units.</summary>
    public static T Run<T>(string title, double total, Func<IProgressSink, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return work(new PlainSink(title, total));

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
                result = work(new SpectreSink(task, title));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class SpectreSink(ProgressTask task, string title) : IProgressSink
    {
        public void Report(double done, string? status)
        {
            task.Value = done;
            if (status is not null) task.Description = Markup.Escape($"{title} {status}");
        }

        public void Line(string text) => AnsiConsole.WriteLine(text);
    }

    /// <summary>For logs and CI: a line every 10% or 15 seconds, with an ETA from the average rate so far.</summary>
    private sealed class PlainSink(string title, double total) : IProgressSink
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private double lastFraction = -1;
        private TimeSpan lastTime = TimeSpan.Zero;

        public void Report(double done, string? status)
        {
            double fraction = total <= 0 ? 1 : Math.Clamp(done / total, 0, 1);
            var now = clock.Elapsed;
            if (fraction - lastFraction < 0.1 && now - lastTime < TimeSpan.FromSeconds(15) && fraction < 1) return;
            lastFraction = fraction;
            lastTime = now;
            string eta = fraction >= 0.02 && fraction < 1 ? $", ETA {Format(TimeSpan.FromSeconds(now.TotalSeconds * (1 - fraction) / fraction))}" : "";
            Console.WriteLine($"{title} {fraction:P0}{eta} {status}".TrimEnd());
        }

        public void Line(string text) => Console.WriteLine(text);
    }

    public static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
}
