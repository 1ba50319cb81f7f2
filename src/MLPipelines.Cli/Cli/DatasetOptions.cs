using System.CommandLine;
using MLPipelines.Data.Datasets;

namespace MLPipelines.Cli.Cli;

/// <summary>The <c>--dataset</c> and <c>--classes</c> options of the commands that train or test on an IDX data set.</summary>
public sealed class DatasetOptions
{
    public Option<string> Dataset { get; } = new("--dataset")
    {
        Description = $"IDX data set: {string.Join(", ", KnownDatasets.All.Select(d => d.Name))}, or a folder with the four files of MNIST's layout (raw or .gz)",
        DefaultValueFactory = _ => KnownDatasets.Mnist.Name,
        HelpName = "NAME|DIR",
    };

    public Option<string?> Classes { get; } = new("--classes")
    {
        Description = $"Class names of a data set given as a folder, comma-separated (default: its {IdxDatasetResolver.ClassesFile}, else 0..N-1)",
        HelpName = "A,B,...",
    };

    public void AddTo(Command command)
    {
        command.Add(Dataset);
        command.Add(Classes);
    }

    public IdxDatasetSpec Resolve(ParseResult parse) => IdxDatasetResolver.Resolve(parse.GetValue(Dataset)!, IdxDatasetResolver.ParseClassList(parse.GetValue(Classes)));
}
