// Consumes models/digits.zip with ML.NET alone, the way any .NET app would.
// Usage: dotnet run --project samples/ConsumeDigitsModel -- models/digits.zip IMAGE...
// The model expects MNIST-style digits (bright ink on a dark background, any size: the model resizes
// to 28x28). For photos of digits on paper, use MLPipelines.Prediction's ImageClassifier, which prepares
// them first (or see the README).
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ConsumeDigitsModel MODEL.zip IMAGE...");
    return 2;
}

var ml = new MLContext();
ITransformer model = ml.Model.Load(args[0], out _);
var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitOutput>(model);

foreach (string path in args[1..])
{
    using var image = MLImage.CreateFromFile(path);
    DigitOutput output = engine.Predict(new DigitInput { Image = image });
    string label = output.PredictedLabel[0];
    Console.WriteLine($"{path}: {label} ({output.Score.Max():P1})");
}
return 0;

/// <summary>The model's input: one image column named "Image".</summary>
public sealed class DigitInput
{
    [ColumnName("Image"), ImageType(28, 28)]
    public MLImage? Image { get; set; }
}

/// <summary>The model's outputs: each class's probability ("Score", classes in order "0".."9") and the predicted class.</summary>
public sealed class DigitOutput
{
    [ColumnName("Score")]
    public float[] Score { get; set; } = [];

    /// <summary>One element: the predicted class name (ML.NET hands ONNX outputs over as vectors).</summary>
    [ColumnName("PredictedLabel")]
    public string[] PredictedLabel { get; set; } = [];
}
