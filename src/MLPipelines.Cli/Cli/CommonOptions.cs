using System.CommandLine;

namespace MLPipelines.Cli.Cli;

/// <summary>Options several commands share. Each call makes a new instance for one command.</summary>
public static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data folder (default: $MLP_DATA, else the project's data/ folder)",
        HelpName = "DIR",
    };

    public static Option<string?> Runs() => new("--runs")
    {
        Description = "Folder that run folders are created in (default: the project's runs/)",
        HelpName = "DIR",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "libtorch threads (0 = one per core)",
        DefaultValueFactory = _ => 0,
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Random seed: the same seed and thread count give identical results",
        DefaultValueFactory = _ => 1,
    };

    public static Option<long> MaxPixels() => new("--max-pixels")
    {
        Description = "Largest image accepted, in pixels (width x height, read from its header before decoding); larger ones are refused",
        DefaultValueFactory = _ => Core.Imaging.ImageLimits.DefaultMaxPixels,
        HelpName = "N",
    };

    /// <summary>The image limits of a <see cref="MaxPixels"/> option.</summary>
    public static Core.Imaging.ImageLimits Limits(long maxPixels) =>
        maxPixels >= 1 ? new Core.Imaging.ImageLimits { MaxPixels = maxPixels } : throw new UserError($"--max-pixels must be at least 1 (got {maxPixels})");
}
