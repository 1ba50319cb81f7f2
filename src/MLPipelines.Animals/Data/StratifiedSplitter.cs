namespace MLPipelines.Animals.Data;

/// <summary>The fractions of a photo set that go to validation and test; the rest is for training.</summary>
public sealed record SplitFractions(double Validation = 0.15, double Test = 0.15)
{
    public void Validate()
    {
        if (Validation < 0 || Test < 0 || Validation + Test >= 1)
            throw new ArgumentException($"validation ({Validation}) and test ({Test}) fractions must be >= 0 and leave some photos for training");
    }
}

/// <summary>
/// A seeded train/validation/test split, stratified by class and, within a class, by source: every source of
/// a class gives each split its share, so that a classifier cannot score by recognising a source's style
/// (animals10's spiders are nearly all 224x224 crops from one set) and the test set holds every kind of photo.
/// A photo set with its own split (train/ val/) keeps it.
/// </summary>
public static class StratifiedSplitter
{
    public static Split[] Assign(PhotoSet set, SplitFractions fractions, int seed)
    {
        fractions.Validate();
        if (set.HasGivenSplit) return set.Photos.Select(p => p.GivenSplit!.Value).ToArray();

        var result = new Split[set.Photos.Count];
        var random = new Random(seed);
        foreach (var byClass in Enumerable.Range(0, set.Photos.Count).GroupBy(i => set.Photos[i].Label).OrderBy(g => g.Key))
        {
            // Within the class: sources one after the other, each shuffled; error diffusion then hands out test
            // and validation places at an even rate along this order, so each source gets its share (+-1)
            // and the class gets round(n * fraction) of each.
            var order = byClass.GroupBy(i => set.Photos[i].Source).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => Shuffle(g.OrderBy(i => set.Photos[i].Path, StringComparer.Ordinal).ToArray(), random)).ToList();
            double test = 0.5, validation = 0.5;
            foreach (int i in order)
            {
                test += fractions.Test;
                validation += fractions.Validation;
                if (test >= 1) { result[i] = Split.Test; test -= 1; }
                else if (validation >= 1) { result[i] = Split.Validation; validation -= 1; }
                else result[i] = Split.Train;
            }
        }
        return result;
    }

    private static int[] Shuffle(int[] items, Random random)
    {
        random.Shuffle(items);
        return items;
    }
}
