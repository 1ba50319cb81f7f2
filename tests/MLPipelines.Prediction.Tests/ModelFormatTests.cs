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
    /// An app with ML.NET alone and the README's input/output classes: the model prepares people's pictures itself
    /// (format 3), so it reads them as ImageClassifier does.
    /// </summary>
    [TestMethod]
    [RequiresData("handwritten-digits")]
    [RequiresData("greek")]
    public void MLNetAloneReadsPeoplesHandwriting()
    {
        var ml = new MLContext();
        string models = Path.GetDirectoryName(TestData.DigitsModel)!;
        int Right(string model, IEnumerable<string> files, Func<string, string> truth)
        {
            var engine = ml.Model.CreatePredictionEngine<ReadmeInput, ReadmeOutput>(ml.Model.Load(model, out _));
            return files.Count(f => engine.Predict(new ReadmeInput { ImagePath = f }).PredictedLabel == truth(f));
        }
        string Digits(string set) => Path.Combine(TestData.HandwrittenDigits, set);
        var byName = (string f) => Path.GetFileNameWithoutExtension(f);
        int photos = Right(TestData.DigitsModel, Directory.GetFiles(Digits("photos")), byName);
        int drawn = Right(TestData.DigitsModel, Directory.GetFiles(Digits("drawn")), byName);
        int small = Right(TestData.DigitsModel, Directory.GetFiles(Digits("small")), byName);
        var letters = Directory.GetFiles(Path.Combine(TestData.RequireRoot(), "greek", "test"), "*.png", SearchOption.AllDirectories);
        int greek = Right(Path.Combine(models, "greek.zip"), letters, f => Path.GetFileName(Path.GetDirectoryName(f))!);
        string summary = $"photos {photos}/10, drawn {drawn}/10, small {small}/10, greek {greek}/{letters.Length}";
        Console.WriteLine(summary);
        Assert.IsTrue(photos == 10 && drawn == 10 && small >= 9 && greek >= 35, summary);
    }

    /// <summary>The README's ModelInput and ModelOutput, as an app that has only ML.NET writes them.</summary>
    private sealed class ReadmeInput
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class ReadmeOutput
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
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
