namespace MLPipelines.Cli.Cli;

/// <summary>
/// Ctrl+C handling: the first press asks the running work to stop at a safe point (after the current batch,
/// the current row) and save; a second press exits at once.
/// </summary>
public static class Interrupt
{
    private static readonly CancellationTokenSource Source = new();
    private static int presses;

    public static CancellationToken Token => Source.Token;

    public static void Install()
    {
        Console.CancelKeyPress += (_, e) =>
        {
            if (Interlocked.Increment(ref presses) == 1)
            {
                e.Cancel = true;
                Console.Error.WriteLine("\nStopping after the current step and saving (Ctrl+C again to quit now)...");
                Source.Cancel();
            }
            else
            {
                e.Cancel = false;
            }
        };
    }
}
