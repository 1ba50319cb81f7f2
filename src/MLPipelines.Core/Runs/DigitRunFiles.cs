namespace MLPipelines.Core.Runs;

/// <summary>A train-loss point of train_loss.csv.</summary>
public sealed record TrainLossRow(long ExamplesSeen, int Epoch, int Batch, double Loss);

/// <summary>A row of test_metrics.csv (epoch 0 = before training).</summary>
public sealed record TestMetricsRow(long ExamplesSeen, int Epoch, double Loss, double Accuracy, double EpochSeconds);

/// <summary>A row of predictions.csv: one test image.</summary>
public sealed record PredictionRow(int Index, int Label, int Prediction, double Confidence)
{
    public bool Correct => Label == Prediction;
}

/// <summary>evaluation.json of a digit run: written by the trainer and the tester, read by the report, through <see cref="DigitRunFiles"/>.</summary>
public sealed record EvaluationFile
{
    [System.Text.Json.Serialization.JsonPropertyName("accuracy")]
    public double Accuracy { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("correct")]
    public int Correct { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("count")]
    public int Count { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("loss")]
    public double Loss { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("classes")]
    public string[] Classes { get; init; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("per_class_accuracy")]
    public double[] PerClassAccuracy { get; init; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("confusion")]
    public int[][] Confusion { get; init; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("epochs")]
    public int? Epochs { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("train_seconds")]
    public double? TrainSeconds { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("threads")]
    public int Threads { get; init; }

    public static int[][] ToJagged(int[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(r => Enumerable.Range(0, m.GetLength(1)).Select(c => m[r, c]).ToArray()).ToArray();

    public int[,] ConfusionMatrix()
    {
        int k = Confusion.Length;
        var m = new int[k, k];
        for (int r = 0; r < k; r++)
        {
            if (Confusion[r].Length != k) throw new RunFileException($"evaluation.json: confusion row {r} has {Confusion[r].Length} values, not {k}");
            for (int c = 0; c < k; c++) m[r, c] = Confusion[r][c];
        }
        return m;
    }
}

/// <summary>
/// The files a digit training run leaves (see MnistTrainCommand) and the ones <c>mlp examine</c> adds under figures/.
/// A folder is a digit run when it holds evaluation.json and options.json.
/// </summary>
public sealed class DigitRunFiles(string folder)
{
    public const string TrainLossHeader = "examples_seen,epoch,batch,loss";
    public const string TestMetricsHeader = "examples_seen,epoch,test_loss,test_accuracy,epoch_seconds";
    public const string PredictionsHeader = "index,label,prediction,confidence";

    public string Folder { get; } = Path.GetFullPath(folder);
    public string FiguresFolder => Path.Combine(Folder, "figures");

    public string File(string name) => Path.Combine(Folder, name);
    public string Figure(string name) => Path.Combine(FiguresFolder, name);

    public static bool IsDigitRun(string folder) =>
        System.IO.File.Exists(Path.Combine(folder, "evaluation.json")) && System.IO.File.Exists(Path.Combine(folder, "options.json"));

    public List<TrainLossRow> TrainLoss() => RunFiles.ReadCsv(File("train_loss.csv"), TrainLossHeader,
        f => new TrainLossRow(RunFiles.L(f[0]), RunFiles.I(f[1]), RunFiles.I(f[2]), RunFiles.D(f[3])));

    public List<TestMetricsRow> TestMetrics() => RunFiles.ReadCsv(File("test_metrics.csv"), TestMetricsHeader,
        f => new TestMetricsRow(RunFiles.L(f[0]), RunFiles.I(f[1]), RunFiles.D(f[2]), RunFiles.D(f[3]), RunFiles.D(f[4])));

    public List<PredictionRow> Predictions() => RunFiles.ReadCsv(File("predictions.csv"), PredictionsHeader,
        f => new PredictionRow(RunFiles.I(f[0]), RunFiles.I(f[1]), RunFiles.I(f[2]), RunFiles.D(f[3])));

    public EvaluationFile Evaluation() => RunFiles.ReadJson<EvaluationFile>(File("evaluation.json"));

    public void WriteEvaluation(EvaluationFile evaluation) => RunFiles.WriteJson(File("evaluation.json"), evaluation);

    public void WritePredictions(IEnumerable<PredictionRow> rows) =>
        RunFiles.WriteCsv(File("predictions.csv"), PredictionsHeader, rows.Select(r =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Index},{r.Label},{r.Prediction},{r.Confidence:F6}")));

    public System.Text.Json.JsonElement Options() => RunFiles.ReadJson<System.Text.Json.JsonElement>(File("options.json"));

    public string? FirstOutputs() => System.IO.File.Exists(File("first_outputs.txt")) ? RunFiles.ReadText(File("first_outputs.txt")) : null;
}
