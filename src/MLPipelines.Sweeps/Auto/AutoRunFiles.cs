using System.Text.Json;
using MLPipelines.Data.IO;

namespace MLPipelines.Sweeps.Auto;

/// <summary>What an <c>mlp auto train</c> run found, as its run folder keeps it (auto.json): what the report shows.</summary>
public sealed record AutoRunSummary(
    string Dataset, double BudgetSeconds, IReadOnlyList<string> Approaches, string Reason, string Chosen, string? Evaluated, double? Accuracy,
    int Evaluations, double Seconds, IReadOnlyList<LeaderboardEntry> Leaderboard);

/// <summary>The files of an <c>mlp auto train</c> run folder that the report reads.</summary>
public static class AutoRunFiles
{
    public const string SummaryFile = "auto.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static bool IsAutoRun(string folder) => File.Exists(Path.Combine(folder, SummaryFile));

    public static void Write(string folder, AutoRunSummary summary) =>
        AtomicFile.WriteAllText(Path.Combine(folder, SummaryFile), JsonSerializer.Serialize(summary, Json));

    public static AutoRunSummary Read(string folder) =>
        JsonSerializer.Deserialize<AutoRunSummary>(File.ReadAllText(Path.Combine(folder, SummaryFile)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(folder, SummaryFile)} is empty");
}
