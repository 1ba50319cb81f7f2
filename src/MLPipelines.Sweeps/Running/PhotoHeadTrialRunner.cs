using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Heads;
using MLPipelines.Animals.Training;
using MLPipelines.Core.Datasets;
using MLPipelines.Core.Runs;
using MLPipelines.Sweeps.Space;
using MLPipelines.Sweeps.Storage;
using MLPipelines.Sweeps.Trials;

namespace MLPipelines.Sweeps.Running;

/// <summary>How one trial of <see cref="PhotoHeadTrialRunner"/> trains: which head, on which views, with which settings.</summary>
public sealed record PhotoHeadSettings(string Head, string Augment, float? LbfgsL2, MlpHeadOptions Mlp)
{
    /// <summary>The head and the settings it uses, in words (a head ignores the others' parameters).</summary>
    public override string ToString() => Head switch
    {
        "lbfgs" => FormattableString.Invariant($"L-BFGS, L2 {(LbfgsL2 is { } l2 ? l2.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : "cross-validated")}, views {Augment}"),
        "sdca" => $"SDCA, views {Augment}",
        _ => FormattableString.Invariant($"MLP {Mlp.Hidden} units, dropout {Mlp.Dropout:F2}, lr {Mlp.LearningRate:G3}, {Mlp.Epochs} epochs, views {Augment}"),
    };
}

/// <summary>
/// Trials of the photo transfer (<see cref="AnimalsTraining"/>'s heads on the frozen ImageNet ResNet18): the study's
/// <see cref="StudyConfig.Dataset"/> is a folder of class folders of photos, scored on <see cref="StudyConfig.Validation"/>
/// or on a stratified fifth of the photos held out (the same fifth <see cref="GreekTrialRunner"/> holds out, so the two
/// approaches are compared on the same photos). The backbone runs once per photo and view: features come from the
/// feature cache <c>mlp animals</c> shares, so a trial costs only its head. Parameters: head (0 L-BFGS, 1 SDCA, 2 MLP),
/// augment (0 none, 1 mirror, 2 full), l2 (L-BFGS; absent: cross-validated), and the MLP's hidden, dropout, lr, epochs.
/// A head ignores the parameters of the others.
/// </summary>
public sealed class PhotoHeadTrialRunner : ITrialRunner
{
    public const string Trainer = "photo-heads";
    private static readonly string[] HeadNames = ["lbfgs", "sdca", "mlp"];

    private readonly PhotoSet set;
    private readonly Split[] splits;
    private readonly OnnxBackbone backbone;
    private readonly FeatureCache cache;
    private readonly Dictionary<string, PreparedFeatures> features = [];

    public PhotoHeadTrialRunner(PhotoSet set, Split[] splits, string cacheFolder, int threads)
    {
        AnimalsTrainingOptions.CheckSplits(set, splits);
        this.set = set;
        this.splits = splits;
        backbone = new OnnxBackbone(new BackboneOptions { Threads = threads });
        cache = FeatureCache.Open(cacheFolder, set.Root);
    }

    public static IReadOnlyDictionary<string, string> KnownParameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["head"] = "the head on the features: 0 L-BFGS (linear), 1 SDCA (linear), 2 MLP (Dense, ReLU, dropout, Dense)",
        ["augment"] = "training-photo views: 0 none, 1 mirror, 2 full (mirror and crops)",
        ["l2"] = "L-BFGS's L2 regularisation (absent: cross-validated on the training photos)",
        ["hidden"] = "the MLP's hidden units",
        ["dropout"] = "the MLP's dropout",
        ["lr"] = "the MLP's Adam learning rate",
        ["epochs"] = "the MLP's epochs (default: the study's --epochs)",
    };

    public static void Validate(SearchSpace space) => TrialParameters.CheckKnown(space, KnownParameters, "the photo heads know");

    /// <summary>The default feature cache, the one <c>mlp animals</c> uses: runs/feature-cache.</summary>
    public static string DefaultCacheFolder => Path.Combine(RunFolder.DefaultRoot, "feature-cache");

    /// <summary>The runner for a study's trials; the photos are screened when the first trial is claimed.</summary>
    public static ITrialRunner ForStudy(StudyConfig config, int threads, string? cacheFolder = null) =>
        new LazyTrialRunner(() =>
        {
            var (set, splits) = Photos(config.Dataset, config.Validation, config.Seed);
            return new PhotoHeadTrialRunner(set, splits, cacheFolder ?? DefaultCacheFolder, threads);
        });

    /// <summary>
    /// The photos of <paramref name="train"/> split for choosing: those of <paramref name="validation"/> when given,
    /// else the stratified fifth <see cref="ImageFolderSet.StratifiedSplit"/> holds out with <paramref name="seed"/>.
    /// </summary>
    public static (PhotoSet Set, Split[] Splits) Photos(string train, string? validation, long seed)
    {
        var trainSet = PhotoSetLoader.Load(train);
        if (validation is null)
        {
            var folder = ImageFolderSet.Scan(train);
            var (_, heldOut) = folder.StratifiedSplit(0.2, seed);
            var held = heldOut.Select(i => Path.GetFullPath(folder.Files[i].Path)).ToHashSet(StringComparer.Ordinal);
            return (trainSet, trainSet.Photos.Select(p => held.Contains(Path.GetFullPath(p.Path)) ? Split.Validation : Split.Train).ToArray());
        }
        var validationSet = PhotoSetLoader.Load(validation);
        var label = trainSet.ClassFolders.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        var extra = new List<Photo>();
        foreach (var p in validationSet.Photos)
        {
            string folder = validationSet.ClassFolders[p.Label];
            if (!label.TryGetValue(folder, out int l)) throw new ImageFolderException($"{validation}: class '{folder}' is not among the training classes");
            extra.Add(p with { Label = l, GivenSplit = Split.Validation });
        }
        var both = new PhotoSet
        {
            Name = trainSet.Name, Root = trainSet.Root, Layout = PhotoSetLayout.GivenSplit, ClassNames = trainSet.ClassNames, ClassFolders = trainSet.ClassFolders,
            Photos = trainSet.Photos.Select(p => p with { GivenSplit = Split.Train }).Concat(extra).ToList(), Skipped = [.. trainSet.Skipped, .. validationSet.Skipped],
        };
        return (both, both.Photos.Select(p => p.GivenSplit!.Value).ToArray());
    }

    /// <summary>The head and settings of a point of the space.</summary>
    public static PhotoHeadSettings Configure(StudyConfig study, ParameterSet point)
    {
        var s = new PhotoHeadSettings("lbfgs", "none", null, new MlpHeadOptions { Epochs = study.Epochs, Seed = unchecked((int)study.Seed) });
        foreach (var (name, value) in point.Values)
        {
            s = name.ToLowerInvariant() switch
            {
                "head" => s with { Head = HeadNames.ElementAtOrDefault(TrialParameters.Whole(name, value)) ?? throw new ArgumentException($"head is 0, 1 or 2 (got {value})") },
                "augment" => s with { Augment = Augmentation.Names.ElementAtOrDefault(TrialParameters.Whole(name, value)) ?? throw new ArgumentException($"augment is 0, 1 or 2 (got {value})") },
                "l2" => s with { LbfgsL2 = (float)value },
                "hidden" => s with { Mlp = s.Mlp with { Hidden = TrialParameters.Whole(name, value) } },
                "dropout" => s with { Mlp = s.Mlp with { Dropout = value } },
                "lr" => s with { Mlp = s.Mlp with { LearningRate = value } },
                "epochs" => s with { Mlp = s.Mlp with { Epochs = TrialParameters.Whole(name, value) } },
                _ => throw new ArgumentException($"unknown parameter '{name}' (the photo heads know: {string.Join(", ", KnownParameters.Keys)})"),
            };
        }
        if (s.LbfgsL2 is < 0) throw new ArgumentException($"l2 must be >= 0 (got {s.LbfgsL2})");
        s.Mlp.Validate();
        return s;
    }

    public bool Run(TrialSettings settings, ITrialReporter reporter, CancellationToken cancel)
    {
        var trial = settings.Trial;
        var s = Configure(settings.Study, trial.Parameters);
        var meter = new ResourceMeter();
        var clock = Stopwatch.StartNew();
        var prepared = Features(s.Augment, cancel);
        var ml = new MLContext(seed: unchecked((int)settings.Study.Seed));
        using var head = HeadCatalog.Train(ml, s.Head, prepared.Train, null, new HeadOptions { Seed = unchecked((int)settings.Study.Seed), LbfgsL2 = s.LbfgsL2, Mlp = s.Mlp }, null, cancel);
        var (accuracy, loss) = Score(head.Predict(ml, prepared.Validation.Features), prepared.Validation.Labels);
        var (_, trainLoss) = Score(head.Predict(ml, prepared.Train.Features), prepared.Train.Labels);
        var (wall, cpu) = meter.Lap();
        var record = new EpochRecord(trial.TargetEpochs, accuracy, loss, trainLoss, clock.Elapsed.TotalSeconds);
        return reporter.ReportEpoch(record, null, new ResourceUse(wall, cpu, ResourceMeter.PeakMemoryMb(), backbone.Options.EffectiveThreads));
    }

    /// <summary>Accuracy and mean cross-entropy of class probabilities against the labels.</summary>
    public static (double Accuracy, double Loss) Score(float[][] probabilities, int[] labels)
    {
        int right = 0;
        double loss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var p = probabilities[i];
            int best = 0;
            for (int c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
            if (best == labels[i]) right++;
            loss -= Math.Log(Math.Max(p[labels[i]], 1e-7));
        }
        return labels.Length == 0 ? (0, double.NaN) : ((double)right / labels.Length, loss / labels.Length);
    }

    /// <summary>The features with a view set, computed once (the cache keeps them for later runs too).</summary>
    private PreparedFeatures Features(string augment, CancellationToken cancel)
    {
        if (features.TryGetValue(augment, out var done)) return done;
        try
        {
            done = PreparedFeatures.Compute(set, splits, backbone, cache, augment, null, cancel);
        }
        finally
        {
            cache.Save();
        }
        return features[augment] = done;
    }

    public void Dispose() => backbone.Dispose();
}
