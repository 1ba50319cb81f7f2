using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.Models;
using MLPipelines.Tests.Support;

namespace MLPipelines.Prediction.Tests;

/// <summary>The model .zip as ML.NET alone sees it (format 3), and the older format that ImageClassifier still reads.</summary>
[TestClass]
public sealed class ModelFormatTests
{
    [TestMethod]
    public void MLNetAloneGetsTheInputSchemaAndModelBuildersShapes()
    {
        var ml = new MLContext();
        var model = ml.Model.Load(TestData.DigitsModel, out var inputSchema);
        Assert.AreEqual("ImagePath:String", string.Join(", ", inputSchema.Select(c => $"{c.Name}:{c.Type}")));
        var output = model.GetOutputSchema(inputSchema);
        Assert.AreEqual(TextDataViewType.Instance, output[ModelSchema.PredictedLabel].Type);
        Assert.IsInstanceOfType<VectorDataViewType>(output[ModelSchema.Score].Type);

        var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
        // An MNIST-style digit (light on dark) as ML.NET alone would be given it: the path of a file.
        using var dir = new TempDir();
        string digit = dir.File("seven.png");
        File.WriteAllBytes(digit, SevenPng());
        var p = engine.Predict(new ModelInput { ImagePath = digit });
        Assert.AreEqual("7", p.PredictedLabel);
        Assert.AreEqual(10, p.Score.Length);
        Assert.AreEqual(1.0, p.Score.Sum(), 1e-4);
    }

    /// <summary>
    /// An app with ML.NET alone (samples/ConsumeDigitsModel: ML.NET, ImageAnalytics, OnnxTransformer and ONNX Runtime,
    /// the README's input and output classes), run as its own process, reads people's photos, drawings and small
    /// digits and the shared Greek test letters with the committed models: they prepare pictures themselves.
    /// </summary>
    [TestMethod]
    [TestCategory("slow")]
    [RequiresData("handwritten-digits")]
    [RequiresData("greek")]
    public void AnAppWithMLNetAloneReadsPeoplesHandwriting()
    {
        string models = Path.GetDirectoryName(TestData.DigitsModel)!;
        string Right(string model, string folder)
        {
            string output = ProcessRunner.Run(models, "dotnet", TimeSpan.FromMinutes(2), SampleApp, Path.Combine(models, model), folder);
            return output.Split('\n').Last(l => l.StartsWith("right: ", StringComparison.Ordinal))["right: ".Length..].Trim();
        }
        string Digits(string set) => Path.Combine(TestData.HandwrittenDigits, set);
        var scores = new[]
        {
            ("photos", Right("digits.zip", Digits("photos"))), ("drawn", Right("digits.zip", Digits("drawn"))),
            ("small", Right("digits.zip", Digits("small"))),
            ("greek", Right("greek.zip", Path.Combine(TestData.RequireRoot(), "greek", "test"))),
        }.ToDictionary(x => x.Item1, x => x.Item2);
        string summary = string.Join(", ", scores.Select(s => $"{s.Key} {s.Value}"));
        Console.WriteLine(summary);
        int RightOf(string set) => int.Parse(scores[set].Split('/')[0]);
        Assert.IsTrue(scores["photos"] == "10/10" && scores["drawn"] == "10/10" && RightOf("small") >= 9 && RightOf("greek") >= 35, summary);
    }

    /// <summary>samples/ConsumeDigitsModel's build, of this test's configuration (the test project builds it).</summary>
    private static string SampleApp
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir.Parent is { } parent && parent.Name != "bin") dir = parent;
            string configuration = dir.Name;
            string root = Path.GetDirectoryName(Path.GetDirectoryName(TestData.DigitsModel))!;
            string dll = Path.Combine(root, "samples", "ConsumeDigitsModel", "bin", configuration, "net10.0", "ConsumeDigitsModel.dll");
            if (!File.Exists(dll)) Assert.Fail($"{dll} is missing: build the solution (the test project references the sample)");
            return dll;
        }
    }

    [TestMethod]
    [RequiresData("handwritten-digits")]
    public void AFormatOneModelStillLoadsAndPredictsTheSame()
    {
        using var dir = new TempDir();
        string old = dir.File("digits-format1.zip");
        FormatOneModel.Save(TestData.DigitsModel, old);
        Assert.AreEqual(1, ModelPackage.ReadMetadata(old).Format);

        using var current = ImageClassifier.Load(TestData.DigitsModel);
        using var legacy = ImageClassifier.Load(old);
        foreach (string photo in Directory.GetFiles(Path.Combine(TestData.HandwrittenDigits, "photos")))
        {
            var a = current.Predict(photo);
            var b = legacy.Predict(photo);
            Assert.AreEqual(a.Label, b.Label, photo);
            Assert.AreEqual(a.Probability, b.Probability, 1e-6, photo);
        }
    }

    /// <summary>A 28x28 MNIST-style seven: a light stroke on black.</summary>
    private static byte[] SevenPng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(28, 28);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.Black);
            using var pen = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.White, StrokeWidth = 2.5f, IsAntialias = true, Style = SkiaSharp.SKPaintStyle.Stroke };
            canvas.DrawLine(7, 6, 21, 6, pen);
            canvas.DrawLine(21, 6, 12, 23, pen);
        }
        using var png = SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
