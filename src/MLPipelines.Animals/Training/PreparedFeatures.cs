using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Heads;

namespace MLPipelines.Animals.Training;

/// <summary>The split photo set with its backbone features: what every head trains and is evaluated on.</summary>
public sealed class PreparedFeatures
{
    public required PhotoSet Set { get; init; }
    public required Split[] Splits { get; init; }
    /// <summary>Indices into <see cref="PhotoSet.Photos"/> of the photos with features, per split.</summary>
    public required int[] TrainPhotos { get; init; }
    public required int[] ValidationPhotos { get; init; }
    public required int[] TestPhotos { get; init; }
    /// <summary>Training rows: every training photo's plain features, then each augmented view's.</summary>
    public required HeadData Train { get; init; }
    public required HeadData Validation { get; init; }
    public required HeadData Test { get; init; }
    public required FeaturizeStats Plain { get; init; }
    public required FeaturizeStats Augmented { get; init; }

    /// <summary>The split accuracy is reported on: test, or validation for a set that has no test split (hymenoptera).</summary>
    public Split EvaluationSplit => Test.Count > 0 ? Split.Test : Split.Validation;
    public HeadData Evaluation => EvaluationSplit == Split.Test ? Test : Validation;
    public int[] EvaluationPhotos => EvaluationSplit == Split.Test ? TestPhotos : ValidationPhotos;

    /// <summary>Photos that were screened in but did not decode, with the reason.</summary>
    public IReadOnlyList<(string Path, string Reason)> Failed => Plain.Failed;

    public double ComputedImages => Plain.Computed + Augmented.Computed;
    public double ComputeSeconds => Plain.ComputeSeconds + Augmented.ComputeSeconds;
    public double MillisecondsPerImage => ComputedImages == 0 ? 0 : ComputeSeconds * 1000 / ComputedImages;

    /// <summary>
    /// Features of every photo (from the cache where it has them) and of the augmented views of the training
    /// photos. <paramref name="progress"/> gets (stage, done, total). Cancellation stops at a batch boundary,
    /// with what was computed kept in the cache.
    /// </summary>
    public static PreparedFeatures Compute(PhotoSet set, Split[] splits, OnnxBackbone backbone, FeatureCache? cache, string augmentation,
        Action<string, int, int>? progress = null, CancellationToken cancel = default)
    {
        var views = Augmentation.Views(augmentation);
        var paths = set.Photos.Select(p => p.Path).ToList();
        var (plain, plainStats) = Featurizer.Run(paths, backbone, cache, (d, t) => progress?.Invoke("features", d, t), cancel);
        int[] Photos(Split s) => Enumerable.Range(0, paths.Count).Where(i => splits[i] == s && plain[i] is not null).ToArray();
        int[] train = Photos(Split.Train), validation = Photos(Split.Validation), test = Photos(Split.Test);

        var rows = train.Select(i => plain[i]!).ToList();
        var labels = train.Select(i => set.Photos[i].Label).ToList();
        var groups = train.ToList();
        var augmentedStats = new List<FeaturizeStats>();
        foreach (var view in views)
        {
            var (extra, stats) = Featurizer.Run(train.Select(i => paths[i]).ToList(), backbone, cache,
                (d, t) => progress?.Invoke($"features ({view.CacheVariant})", d, t), cancel, view);
            augmentedStats.Add(stats);
            for (int k = 0; k < train.Length; k++)
            {
                if (extra[k] is null) continue;
                rows.Add(extra[k]!);
                labels.Add(set.Photos[train[k]].Label);
                groups.Add(train[k]);
            }
        }
        HeadData Data(int[] photos) => new(photos.Select(i => plain[i]!).ToArray(), photos.Select(i => set.Photos[i].Label).ToArray(), set.ClassNames);
        return new PreparedFeatures
        {
            Set = set, Splits = splits, TrainPhotos = train, ValidationPhotos = validation, TestPhotos = test,
            Train = new HeadData(rows.ToArray(), labels.ToArray(), set.ClassNames, groups.ToArray()),
            Validation = Data(validation), Test = Data(test), Plain = plainStats,
            Augmented = new FeaturizeStats(augmentedStats.Sum(s => s.Total), augmentedStats.Sum(s => s.FromCache), augmentedStats.Sum(s => s.Computed),
                augmentedStats.Sum(s => s.ComputeSeconds), augmentedStats.SelectMany(s => s.Failed).ToList()),
        };
    }
}
