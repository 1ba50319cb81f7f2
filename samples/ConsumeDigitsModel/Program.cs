// Consumes a saved model (models/digits.zip, models/greek.zip, ...) with ML.NET alone, the way any .NET app would:
// the model's input schema and Model Builder's input and output shapes (an image file's path in, the predicted
// label and the scores out). The model prepares any picture itself (photos of paper, drawings, small scans).
// Usage: dotnet run --project samples/ConsumeDigitsModel -- MODEL.zip IMAGE_OR_FOLDER...
// A folder of class folders (greek/test/alpha/...) or of files named by their class (digits/3.png) is scored
// against those names, and the program ends with the tally ("right: 9/10").
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ConsumeDigitsModel MODEL.zip IMAGE_OR_FOLDER...");
    return 2;
}

var ml = new MLContext();
ITransformer model;
DataViewSchema inputSchema;
try
{
    model = ml.Model.Load(args[0], out inputSchema);
}
catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
{
    Console.Error.WriteLine($"error: {args[0]}: not a model ML.NET can load ({e.Message})");
    return 1;
}
Console.WriteLine("input: " + string.Join(", ", inputSchema.Select(c => $"{c.Name} ({c.Type})")));
var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);

int right = 0, labelled = 0;
foreach (var (path, truth) in args[1..].SelectMany(Images))
{
    ModelOutput output = engine.Predict(new ModelInput { ImagePath = path });
    // A picture without ink scores NaN for every class: no class wins.
    string shown = output.Score.Any(float.IsNaN) ? "(no ink found)" : $"{output.PredictedLabel} ({output.Score.Max():P1})";
    Console.WriteLine($"{path}: {shown}");
    if (truth is null) continue;
    labelled++;
    if (output.PredictedLabel == truth) right++;
}
if (labelled > 0) Console.WriteLine($"right: {right}/{labelled}");
return 0;

// An image file as it is; a folder's images, each with the class its name gives.
static IEnumerable<(string Path, string? Truth)> Images(string argument)
{
    if (!Directory.Exists(argument)) return [(argument, null)];
    var classFolders = Directory.GetDirectories(argument).Order(StringComparer.Ordinal).ToList();
    return classFolders.Count > 0
        ? classFolders.SelectMany(d => ImageFiles(d).Select(f => (f, (string?)Path.GetFileName(d))))
        : ImageFiles(argument).Select(f => (f, (string?)Path.GetFileNameWithoutExtension(f)));
}

static IEnumerable<string> ImageFiles(string folder) =>
    Directory.GetFiles(folder).Where(f => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".bmp" or ".gif" or ".webp")
        .Order(StringComparer.Ordinal);

/// <summary>The model's input: the path of an image file.</summary>
public sealed class ModelInput
{
    [ColumnName("ImagePath")]
    public string ImagePath { get; set; } = "";
}

/// <summary>The model's outputs: the predicted class and each class's probability (in the model's class order).</summary>
public sealed class ModelOutput
{
    [ColumnName("PredictedLabel")]
    public string PredictedLabel { get; set; } = "";

    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}
