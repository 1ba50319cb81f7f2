using MLPipelines.Sweeps.Space;

namespace MLPipelines.Sweeps.Running;

/// <summary>Checks the trial runners share when they read a point of the space.</summary>
public static class TrialParameters
{
    /// <summary>An error naming what is known (<paramref name="who"/>: "the Greek transfer knows") when the space has a parameter it does not.</summary>
    public static void CheckKnown(SearchSpace space, IReadOnlyDictionary<string, string> known, string who)
    {
        foreach (var p in space.Parameters)
            if (!known.ContainsKey(p.Name))
                throw new ArgumentException($"unknown parameter '{p.Name}' ({who}: {string.Join(", ", known.Keys)})");
    }

    /// <summary>The value as a whole number, or an error naming the parameter.</summary>
    public static int Whole(string name, double v) =>
        v == Math.Round(v) ? (int)v : throw new ArgumentException($"{name} must be a whole number (got {v})");
}
