using System.Text.Json.Serialization;
using MLPipelines.Data.IO;

namespace MLPipelines.Core.Runs;

[JsonConverter(typeof(JsonStringEnumConverter<StageStatus>))]
public enum StageStatus { Done, Skipped, Failed, Interrupted }

/// <summary>What one stage of <c>mlp all</c> did: its folder in the run (relative), how long it took, why it was skipped or failed.</summary>
public sealed record StageRecord(string Name, StageStatus Status, double Seconds, string? Folder = null, string? Detail = null);

/// <summary>
/// stages.json at the top of an <c>mlp all</c> run: the command, when it started, each stage's record and the
/// total time. Rewritten after every stage, so a report of a stopped run shows what was done.
/// </summary>
public sealed record StageLog
{
    public const string FileName = "stages.json";

    public required string Command { get; init; }
    public DateTime Started { get; init; }
    [JsonPropertyName("total_seconds")]
    public double TotalSeconds { get; init; }
    public string? Machine { get; init; }
    public List<StageRecord> Stages { get; init; } = [];

    public static StageLog? Read(string runFolder)
    {
        string path = Path.Combine(runFolder, FileName);
        return File.Exists(path) ? RunFiles.ReadJson<StageLog>(path) : null;
    }

    public void Write(string runFolder) =>
        AtomicFile.WriteAllText(Path.Combine(runFolder, FileName), System.Text.Json.JsonSerializer.Serialize(this, RunFiles.Json));
}
