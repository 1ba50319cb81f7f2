using MLPipelines.Core.Metrics;
using System.Globalization;
using System.Text.Json.Serialization;
using MLPipelines.Animals.Evaluation;
using MLPipelines.Core.Runs;

namespace MLPipelines.Animals.Report;

/// <summary>evaluation.json of an animals training run: the saved model's head on the split it is reported on.</summary>
public sealed record AnimalEvaluation(
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("correct")] int Correct,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("macro_f1")] double MacroF1,
    [property: JsonPropertyName("log_loss")] double LogLoss,
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("per_class")] IReadOnlyList<ClassMetrics> PerClass,
    [property: JsonPropertyName("confusion")] int[][] Confusion);

/// <summary>timing.json of an animals training run, written by the run and read by the report and the stage.</summary>
public sealed record AnimalTiming
{
    [JsonPropertyName("total_seconds")] public double TotalSeconds { get; init; }
    [JsonPropertyName("feature_seconds")] public double FeatureSeconds { get; init; }
    [JsonPropertyName("images_computed")] public double ImagesComputed { get; init; }
    [JsonPropertyName("ms_per_image")] public double MillisecondsPerImage { get; init; }
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; }
    [JsonPropertyName("head_seconds")] public IReadOnlyDictionary<string, double> HeadSeconds { get; init; } = new Dictionary<string, double>();
}

/// <summary>One row of heads.csv: a head trained on the run's features, on validation and test.</summary>
public sealed record HeadRow(string Head, double? Validation, double? Test, double? MacroF1, double? LogLoss, double TrainSeconds, string Description);

/// <summary>The files of one animals training run folder, read with one-line errors.</summary>
public sealed class AnimalsRunFiles(string folder)
{
    public const string HeadsHeader = "head,validation_accuracy,test_accuracy,macro_f1,log_loss,train_seconds,description";

    public string Folder { get; } = folder;
    public string File(string name) => Path.Combine(Folder, name);

    public AnimalEvaluation Evaluation() => RunFiles.ReadJson<AnimalEvaluation>(File("evaluation.json"));
    public void WriteEvaluation(AnimalEvaluation evaluation) => RunFiles.WriteJson(File("evaluation.json"), evaluation);
    public AnimalTiming? Timing() => System.IO.File.Exists(File("timing.json")) ? RunFiles.ReadJson<AnimalTiming>(File("timing.json")) : null;
    public void WriteTiming(AnimalTiming timing) => RunFiles.WriteJson(File("timing.json"), timing);
    public Training.AnimalsTrainingOptions? Options() =>
        System.IO.File.Exists(File("options.json")) ? RunFiles.ReadJson<Training.AnimalsTrainingOptions>(File("options.json")) : null;

    /// <summary>heads.csv, in the form <see cref="Heads"/> reads.</summary>
    public void WriteHeads(IEnumerable<HeadRow> rows) =>
        RunFiles.WriteCsv(File("heads.csv"), HeadsHeader, rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Head},{r.Validation},{r.Test},{r.MacroF1:F4},{r.LogLoss:F4},{r.TrainSeconds:F2},\"{r.Description.Replace("\"", "'")}\"")));

    /// <summary>heads.csv; the description (last, quoted) may hold commas.</summary>
    public IReadOnlyList<HeadRow> Heads()
    {
        string path = File("heads.csv");
        string[] lines = RunFiles.ReadText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0].Trim() != HeadsHeader) throw new RunFileException($"{path}: expected the header '{HeadsHeader}'");
        return lines.Skip(1).Select((line, i) =>
        {
            string[] f = line.Split(',', 7);
            if (f.Length < 7 || !double.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                throw new RunFileException($"{path}: line {i + 2} is not valid ({line})");
            return new HeadRow(f[0], Number(f[1]), Number(f[2]), Number(f[3]), Number(f[4]), seconds, f[6].Trim().Trim('"'));
        }).ToList();
    }

    /// <summary>The class table of summary.txt (its text before the image sizes).</summary>
    public string? SummaryTable() =>
        System.IO.File.Exists(File("summary.txt")) ? RunFiles.ReadText(File("summary.txt")).Split("\n\nimage sizes")[0] : null;

    private static double? Number(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
}
