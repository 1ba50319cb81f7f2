namespace MLPipelines.Cli.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    /// <summary>Stopped by Ctrl+C after saving what was done (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
