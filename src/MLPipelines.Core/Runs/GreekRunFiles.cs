using System.Text.Json.Serialization;

namespace MLPipelines.Core.Runs;

public sealed record GreekParameters(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("trainable")] long Trainable,
    [property: JsonPropertyName("non_trainable")] long NonTrainable);

public sealed record GreekParameterCounts(
    [property: JsonPropertyName("before")] GreekParameters Before,
    [property: JsonPropertyName("after")] GreekParameters After);

/// <summary>training.json of <c>mlp greek train</c>: what was trained, how long, how well it learnt the training letters.</summary>
public sealed record GreekTraining(
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("train_images")] int TrainImages,
    [property: JsonPropertyName("trained_on")] int TrainedOn,
    [property: JsonPropertyName("fine_tune")] string FineTune,
    [property: JsonPropertyName("augment")] int Augment,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("stopped_early")] bool StoppedEarly,
    [property: JsonPropertyName("train_seconds")] double TrainSeconds,
    [property: JsonPropertyName("train_accuracy")] double TrainAccuracy,
    [property: JsonPropertyName("parameters")] GreekParameterCounts Parameters,
    [property: JsonPropertyName("threads")] int Threads)
{
    [JsonPropertyName("train_loss")] public double TrainLoss { get; init; }
    [JsonPropertyName("frozen_unchanged")] public IReadOnlyList<string> FrozenUnchanged { get; init; } = [];
    [JsonPropertyName("digit_model")] public string? DigitModel { get; init; }
    [JsonPropertyName("model")] public string? Model { get; init; }
}

/// <summary>Right / total for a style or a class of test letters.</summary>
public sealed record GreekGroup(
    [property: JsonPropertyName("style"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Style,
    [property: JsonPropertyName("class"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Class,
    [property: JsonPropertyName("correct")] int Correct,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("accuracy")] double Accuracy);

/// <summary>evaluation.json of <c>mlp greek test</c>: accuracy overall, per style and per class.</summary>
public sealed record GreekEvaluation(
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("correct")] int Correct,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("per_style")] IReadOnlyList<GreekGroup> PerStyle,
    [property: JsonPropertyName("per_class")] IReadOnlyList<GreekGroup> PerClass)
{
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("test_folder")] public string? TestFolder { get; init; }
    [JsonPropertyName("classes")] public IReadOnlyList<string> Classes { get; init; } = [];
    [JsonPropertyName("confusion")] public int[][] Confusion { get; init; } = [];
    [JsonPropertyName("trained_with")] public string? TrainedWith { get; init; }
    [JsonPropertyName("model_metrics")] public IReadOnlyDictionary<string, double>? ModelMetrics { get; init; }
}

/// <summary>
/// One Greek-letter approach of an <c>mlp all</c> run (RUN/greek/frozen, RUN/greek/fc1-augmented): the files
/// <c>mlp greek train</c> and <c>mlp greek test</c> wrote into it.
/// </summary>
public sealed class GreekRunFiles(string folder)
{
    public const string StageFolder = "greek";
    public const string TrainingFile = "training.json";

    public string Folder { get; } = folder;
    public string Name => Path.GetFileName(Folder);
    public string File(string name) => Path.Combine(Folder, name);

    public GreekTraining Training() => RunFiles.ReadJson<GreekTraining>(File(TrainingFile));
    public void WriteTraining(GreekTraining training) => RunFiles.WriteJson(File(TrainingFile), training);
    public void WriteEvaluation(GreekEvaluation evaluation) => RunFiles.WriteJson(File("evaluation.json"), evaluation);
    public GreekEvaluation? Evaluation() => System.IO.File.Exists(File("evaluation.json")) ? RunFiles.ReadJson<GreekEvaluation>(File("evaluation.json")) : null;
    public string? Text(string name) => System.IO.File.Exists(File(name)) ? RunFiles.ReadText(File(name)) : null;

    /// <summary>The option line the approach was trained with (options.json's CommandLine), when recorded.</summary>
    public string? CommandLine()
    {
        if (!System.IO.File.Exists(File("options.json"))) return null;
        using var json = System.Text.Json.JsonDocument.Parse(RunFiles.ReadText(File("options.json")));
        return json.RootElement.TryGetProperty("CommandLine", out var c) ? c.GetString() : null;
    }

    /// <summary>The approaches under RUN/greek that finished training, in name order ("frozen" first: the assignment's).</summary>
    public static IReadOnlyList<GreekRunFiles> Find(string runFolder)
    {
        string stage = Path.Combine(runFolder, StageFolder);
        if (!Directory.Exists(stage)) return [];
        return Directory.GetDirectories(stage)
            .Where(d => System.IO.File.Exists(Path.Combine(d, TrainingFile)))
            .OrderBy(d => Path.GetFileName(d) == "frozen" ? 0 : 1).ThenBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .Select(d => new GreekRunFiles(d))
            .ToList();
    }
}
