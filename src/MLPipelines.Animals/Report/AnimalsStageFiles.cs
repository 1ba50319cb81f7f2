using System.Text.Json;
using System.Text.Json.Serialization;
using MLPipelines.Data.IO;
using MLPipelines.Core.Runs;

namespace MLPipelines.Animals.Report;

/// <summary>What the animals stage did with one photo set: trained into <see cref="Folder"/>, or left out and why.</summary>
public sealed record AnimalSetOutcome(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("folder")] string? Folder = null,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("seconds")] double Seconds = 0)
{
    public const string Trained = "trained";
    public const string LeftOut = "left out";
    public const string Interrupted = "interrupted";
}

/// <summary>
/// The animals stage's folder in an <c>mlp all</c> run: RUN/animals/sets.json (one <see cref="AnimalSetOutcome"/> per
/// photo set) and RUN/animals/&lt;set&gt;/, each what <c>mlp animals explore</c> and <c>mlp animals train</c> write.
/// </summary>
public static class AnimalsStageFiles
{
    public const string StageName = "animals";
    public const string SetsFile = "sets.json";

    public static void Write(string stageFolder, IReadOnlyList<AnimalSetOutcome> sets) =>
        AtomicFile.WriteAllText(Path.Combine(stageFolder, SetsFile), JsonSerializer.Serialize(sets, RunFiles.Json));

    /// <summary>The outcomes the stage recorded; null when it has not written them.</summary>
    public static IReadOnlyList<AnimalSetOutcome>? Read(string stageFolder)
    {
        string path = Path.Combine(stageFolder, SetsFile);
        return File.Exists(path) ? RunFiles.ReadJson<List<AnimalSetOutcome>>(path) : null;
    }

    /// <summary>Whether a folder holds a finished training run (what the report shows).</summary>
    public static bool IsTrainingRun(string folder) =>
        File.Exists(Path.Combine(folder, "heads.csv")) && File.Exists(Path.Combine(folder, "evaluation.json"));
}
