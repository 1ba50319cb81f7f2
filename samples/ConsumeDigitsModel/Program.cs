// Consumes models/digits.zip with ML.NET alone, the way any .NET app would: the model's input schema and
// Model Builder's input and output shapes (an image file's path in, the predicted label and the scores out).
// Usage: dotnet run --project samples/ConsumeDigitsModel -- models/digits.zip IMAGE...
// The model expects MNIST-style digits (bright ink on a dark background, any size: the model resizes to 28x28).
// For photos of digits on paper, use MLPipelines.Prediction's ImageClassifier, which prepares them first.
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ConsumeDigitsModel MODEL.zip IMAGE...");
    return 2;
}

var ml = new MLContext();
ITransformer model = ml.Model.Load(args[0], out DataViewSchema inputSchema);
Console.WriteLine("input: " + string.Join(", ", inputSchema.Select(c => $"{c.Name} ({c.Type})")));
var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);

foreach (string path in args[1..])
{
    ModelOutput output = engine.Predict(new ModelInput { ImagePath = path });
    Console.WriteLine($"{path}: {output.PredictedLabel} ({output.Score.Max():P1})");
}
return 0;

/// <summary>The model's input: the path of an image file.</summary>
public sealed class ModelInput
{
    [ColumnName("ImagePath")]
    public string ImagePath { get; set; } = "";
}

/// <summary>The model's outputs: the predicted class and each class's probability (classes in order "0".."9").</summary>
public sealed class ModelOutput
{
    [ColumnName("PredictedLabel")]
    public string PredictedLabel { get; set; } = "";

    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}
