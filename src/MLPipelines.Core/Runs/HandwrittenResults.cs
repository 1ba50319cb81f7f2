using System.Text.Json.Serialization;

namespace MLPipelines.Core.Runs;

/// <summary>One person's digit: the file, its label (from the file name), what the network said and how sure it was.</summary>
public sealed record HandwrittenItem(string File, string Label, string Prediction, double Probability)
{
    [JsonIgnore] public bool Correct => Label == Prediction;
}

/// <summary>A set of people's digits (a folder: photos, drawings, ...) and how many the network read right.</summary>
public sealed record HandwrittenSet(string Name, string Folder, IReadOnlyList<HandwrittenItem> Items)
{
    public int Correct => Items.Count(i => i.Correct);
    public int Count => Items.Count;
}

/// <summary>handwritten.json: figure 6's results, for the report's table.</summary>
public sealed record HandwrittenResults(string Model, string Preprocessing, IReadOnlyList<HandwrittenSet> Sets)
{
    public int Correct => Sets.Sum(s => s.Correct);
    public int Count => Sets.Sum(s => s.Count);
}
