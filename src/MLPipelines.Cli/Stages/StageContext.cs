using System.CommandLine;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Reporting.Report;
using MLPipelines.Core.Runs;
using MLPipelines.Training;

namespace MLPipelines.Cli.Stages;

/// <summary>What every stage of one <c>mlp all</c> run shares: the run folder, the data, the options, what earlier stages made.</summary>
public sealed class StageContext
{
    public required RunFolder Run { get; init; }
    public required DataLocation Data { get; init; }
    public required ParseResult Parse { get; init; }
    /// <summary>The digit network's hyper-parameters (from --epochs, --recipe, ...), already validated.</summary>
    public required TrainingOptions Training { get; init; }
    public required DigitNetOptions Model { get; init; }
    /// <summary>The IDX data set the digit stages train on and the sweep tunes on (--dataset, --classes; MNIST by default).</summary>
    public IdxDatasetSpec Dataset { get; init; } = KnownDatasets.Mnist;
    public required string CommandLine { get; init; }

    /// <summary>The stage's folder in the run (RUN/name), created on first use.</summary>
    public RunFolder Folder(string name) => Run.Child(name);

    /// <summary>The digit training results when the digits stage has made them (what examine and transfer learning build on).</summary>
    public DigitRunFiles? Digits => new ReportContext(Run.Path).Digits;

    /// <summary>The trained digit network's model .zip (ML.NET pipeline with the TorchSharp weights inside), when there is one.</summary>
    public string? DigitModel => Digits is { } d && File.Exists(d.File("model.zip")) ? d.File("model.zip") : null;
}
