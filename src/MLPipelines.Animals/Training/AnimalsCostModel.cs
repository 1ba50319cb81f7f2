using System.Globalization;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Report;

namespace MLPipelines.Animals.Training;

/// <summary>
/// How long training on a photo set would take: its feature vectors not yet in the cache at the speed measured on the
/// sets trained before (<see cref="Learn"/>), plus the heads and figures per photo. What lets <c>mlp all</c> leave a
/// set out that would not fit its time budget.
/// </summary>
public sealed class AnimalsCostModel
{
    /// <summary>What featurization costs before anything has measured it (loaded 2-core machine: 78-124 ms).</summary>
    public const double AssumedMillisecondsPerImage = 100;

    private double msPerImage = double.NaN, otherSecondsPerPhoto = double.NaN;

    /// <summary>Seconds the set would take, and how that was reckoned (one line).</summary>
    public (double Seconds, string How) Estimate(PhotoSet set, Split[] splits, string cacheFolder)
    {
        var cache = FeatureCache.Open(cacheFolder, set.Root);
        var views = Augmentation.Views("full");
        int todo = 0;
        for (int i = 0; i < set.Photos.Count; i++)
        {
            string path = set.Photos[i].Path;
            if (!cache.TryGet(path, out _)) todo++;
            if (splits[i] == Split.Train) todo += views.Count(v => !cache.TryGet(path, out _, v.CacheVariant));
        }
        bool measured = !double.IsNaN(msPerImage);
        double ms = measured ? msPerImage : AssumedMillisecondsPerImage;
        double other = double.IsNaN(otherSecondsPerPhoto) ? 0 : otherSecondsPerPhoto * set.Photos.Count;
        return (todo * ms / 1000 + other, string.Create(CultureInfo.InvariantCulture,
            $"{todo} feature vectors to compute at {ms:F0} ms/image{(measured ? "" : " (assumed)")}, heads and figures ~{other:F0} s"));
    }

    /// <summary>Takes the speed a finished run measured: ms per computed image (kept from before when nearly all came from the cache), the other seconds per photo.</summary>
    public void Learn(AnimalsRunFiles run, PhotoSet set)
    {
        var timing = run.Timing();
        if (timing is null) return;
        if (timing.ImagesComputed >= 32) msPerImage = timing.MillisecondsPerImage;
        otherSecondsPerPhoto = Math.Max(0, timing.TotalSeconds - timing.FeatureSeconds) / Math.Max(1, set.Photos.Count);
    }
}
