using MLPipelines.Core.Runs;
using System.CommandLine;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Prediction;

namespace MLPipelines.Cli.Commands;

/// <summary>What the <c>mlp animals</c> commands share: the photo set argument, split and backbone options.</summary>
public sealed class AnimalsShared
{
    public Argument<string> Dataset { get; } = new("dataset")
    {
        Description = "Photo set: a folder of class folders (or train/ and val/ of class folders, or Animals-10's raw-img/), " +
                      "or the name of one under DATA/animals (hymenoptera, animals10)",
    };
    public Option<string?> Data { get; } = CommonOptions.Data();
    public Option<string?> Runs { get; } = CommonOptions.Runs();
    public Option<long> Seed { get; } = CommonOptions.Seed();
    public Option<double> ValidationFraction { get; } = new("--val-fraction")
    {
        Description = "Share of each class (and source) for validation, for sets without their own split",
        DefaultValueFactory = _ => 0.15,
    };
    public Option<double> TestFraction { get; } = new("--test-fraction")
    {
        Description = "Share of each class (and source) for testing, for sets without their own split",
        DefaultValueFactory = _ => 0.15,
    };
    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime threads (0 = one per core)", DefaultValueFactory = _ => 0 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Images per ONNX Runtime call when featurizing", DefaultValueFactory = _ => 32 };
    public Option<int?> Gpu { get; } = new("--gpu")
    {
        Description = "Run the ONNX models on this CUDA device (needs the ONNX Runtime GPU build; otherwise runs on the CPU, saying why). Untested: no GPU here",
        HelpName = "ID",
    };
    public Option<string> Precision { get; } = new("--precision")
    {
        Description = "The ResNet18's arithmetic: fp32, int8 (quantized, calibrated on the training photos), or auto (int8 where the CPU has VNNI)",
        DefaultValueFactory = _ => "auto",
    };
    public Option<string?> Cache { get; } = new("--cache")
    {
        Description = "Folder of the feature cache (default: RUNS/feature-cache)",
        HelpName = "DIR",
    };

    public void AddSplitOptions(Command c)
    {
        c.Add(ValidationFraction);
        c.Add(TestFraction);
        c.Add(Seed);
    }

    public void AddBackboneOptions(Command c)
    {
        c.Add(Threads);
        c.Add(BatchSize);
        c.Add(Gpu);
        c.Add(Precision);
        c.Add(Cache);
    }

    public PhotoSet LoadSet(ParseResult p) => LoadSet(p.GetValue(Dataset)!, p.GetValue(Data));

    public static PhotoSet LoadSet(string dataset, string? data)
    {
        var location = DataLocation.Resolve(data);
        try
        {
            return PhotoSetLoader.Load(PhotoSetLocator.Resolve(dataset, location.Root));
        }
        catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new UserError(e.Message);
        }
    }

    public SplitFractions Fractions(ParseResult p)
    {
        var f = new SplitFractions(p.GetValue(ValidationFraction), p.GetValue(TestFraction));
        try
        {
            f.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
        return f;
    }

    public Split[] AssignSplits(ParseResult p, PhotoSet set) => StratifiedSplitter.Assign(set, Fractions(p), (int)p.GetValue(Seed));

    public BackboneOptions Backbone(ParseResult p)
    {
        var o = new BackboneOptions { Threads = p.GetValue(Threads), BatchSize = p.GetValue(BatchSize), GpuDeviceId = p.GetValue(Gpu) };
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
        return o;
    }

    public BackbonePrecision PrecisionOf(ParseResult p)
    {
        try
        {
            return BackbonePrecisions.Parse(p.GetValue(Precision)!);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"--precision: {e.Message}");
        }
    }

    public string CacheFolder(ParseResult p) =>
        p.GetValue(Cache) is { Length: > 0 } dir ? dir : Path.Combine(p.GetValue(Runs) is { Length: > 0 } runs ? runs : RunFolder.DefaultRoot, "feature-cache");

    /// <summary>Opens the backbone, saying where it runs and why not on the GPU when one was asked for.</summary>
    public static OnnxBackbone OpenBackbone(BackboneOptions options, RunFolder? run)
    {
        var backbone = new OnnxBackbone(options);
        if (backbone.GpuFallbackReason is { } why)
        {
            Console.Error.WriteLine($"warning: {why}");
            run?.Log($"warning: {why}");
        }
        return backbone;
    }
}
