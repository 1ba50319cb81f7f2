using System.CommandLine;
using MLPipelines.Core.Runs;

namespace MLPipelines.Cli.Stages;

/// <summary>
/// A stage of <c>mlp all</c>: one part of the assignment (train the digit network, examine it, Greek letters,
/// sweep, animals). To add one, write a public class with a parameterless constructor implementing this
/// interface anywhere in this project: <see cref="StageRegistry"/> finds it and <c>mlp all</c> runs it in
/// <see cref="Order"/>, after asking <see cref="CanRun"/>. Its results go into its own folder
/// (<c>context.Folder(Name)</c>); add an <c>IReportSection</c> (MLPipelines.Reporting) to show them in the report.
/// </summary>
public interface IStage
{
    /// <summary>Short lower-case name: the stage's folder in the run and its name in --skip and the report.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>Run order: digits 100, examine 110, handwritten 120, greek 200, sweep 300, animals 400.</summary>
    int Order { get; }

    /// <summary>Where its results go, relative to the run folder (shown in the report's stage table).</summary>
    string Folder => Name;

    /// <summary>Options this stage adds to <c>mlp all</c> (read them in Run through <c>context.Parse</c>); names must not clash.</summary>
    IEnumerable<Option> Options => [];

    /// <summary>
    /// Whether the stage can run here. When not, <paramref name="reason"/> says what is missing and how to provide it,
    /// e.g. "put folder-per-class images in DATA/greek/train (see README)".
    /// </summary>
    bool CanRun(StageContext context, out string reason);

    /// <summary>Does the work; <see cref="StageStatus.Interrupted"/> when Ctrl+C stopped it (after saving). Throws on failure.</summary>
    StageStatus Run(StageContext context);
}
