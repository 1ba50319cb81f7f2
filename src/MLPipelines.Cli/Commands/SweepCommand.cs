using System.CommandLine;

namespace MLPipelines.Cli.Commands;

/// <summary><c>mlp sweep</c>: hyper-parameter studies of the digit network (run, worker, status, report).</summary>
public static class SweepCommand
{
    public static Command Create() => new("sweep", "Hyper-parameter studies (the digit network, the Greek transfer): grid, random, one-factor, successive halving, TPE; local or PostgreSQL")
    {
        SweepRunCommand.Create(), SweepWorkerCommand.Create(), SweepStatusCommand.Create(), SweepReportCommand.Create(),
    };
}
