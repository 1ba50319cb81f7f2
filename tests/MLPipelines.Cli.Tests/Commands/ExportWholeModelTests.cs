using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Core.Models;
using MLPipelines.Data;
using MLPipelines.Tests.Support;
using MLPipelines.Training.MLNet;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary>
/// <c>mlp export onnx models/digits.zip</c> writes the whole model, preparation included, and ONNX Runtime for Node
/// (the npm package onnxruntime-node, installed by .ci/run into tests/node) gives the probabilities ML.NET gives.
/// </summary>
[TestClass]
public sealed class ExportWholeModelTests
{
    private const int Canvas = 256;

    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void TheWholeModelRunsInOnnxRuntimeForNodeAsInMLNet()
    {
        string nodeTests = Path.Combine(ProjectRoot.Find(AppContext.BaseDirectory) ?? ProjectRoot.FindOrCurrent(), "tests", "node");
        if (!Directory.Exists(Path.Combine(nodeTests, "node_modules", "onnxruntime-node")))
            Assert.Inconclusive($"onnxruntime-node is not installed: npm ci --prefix {nodeTests} (.ci/run does it)");

        using var dir = new TempDir();
        string onnx = dir.File("digits.onnx");
        var (code, output, error) = CliRunner.Mlp("export", "onnx", TestData.DigitsModel, "--out", onnx);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, $"Canvas: uint8 [1, {Canvas}, {Canvas}, 4]");
        StringAssert.Contains(output, "with the mnist-style preparation");

        var photos = Directory.GetFiles(Path.Combine(TestData.HandwrittenDigits, "photos")).Order().ToArray();
        var ml = new MLContext();
        // The canvas as ML.NET's own transforms fill it (the same as inside the saved model), as RGBA bytes.
        var rows = ml.Data.LoadFromEnumerable(photos.Select(p => new ModelInput { ImagePath = p }));
        var canvases = ml.Transforms.LoadImages(ModelSchema.Image, "", ModelSchema.ImagePath).Append(ImagePipelines.Canvas(ml, Canvas))
            .Fit(rows).Transform(rows).GetColumn<VBuffer<float>>(ModelSchema.Canvas)
            .Select(v => v.DenseValues().ToArray()).ToList();   // copied: the column's buffers may be reused row to row
        var rgbaFiles = new List<string>();
        for (int i = 0; i < photos.Length; i++)
        {
            var planes = canvases[i];
            int n = Canvas * Canvas;
            var rgba = new byte[4 * n];
            for (int p = 0; p < n; p++)
            {
                rgba[4 * p] = (byte)planes[n + p];
                rgba[4 * p + 1] = (byte)planes[2 * n + p];
                rgba[4 * p + 2] = (byte)planes[3 * n + p];
                rgba[4 * p + 3] = (byte)planes[p];
            }
            rgbaFiles.Add(dir.File($"{i}.rgba"));
            File.WriteAllBytes(rgbaFiles[^1], rgba);
        }

        var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(ml.Model.Load(TestData.DigitsModel, out _));
        var fromMlNet = photos.Select(p => engine.Predict(new ModelInput { ImagePath = p }).Score).ToList();

        string json = ProcessRunner.Run(nodeTests, "node", TimeSpan.FromMinutes(2), [Path.Combine(nodeTests, "score.mjs"), onnx, $"{Canvas}", .. rgbaFiles]);
        var results = JsonDocument.Parse(json).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.HasCount(photos.Length, results);
        double worst = 0;
        for (int i = 0; i < photos.Length; i++)
        {
            var probabilities = results[i].GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.AreEqual(1f, results[i].GetProperty("inkFound").GetSingle(), photos[i]);
            for (int c = 0; c < probabilities.Length; c++) worst = Math.Max(worst, Math.Abs(probabilities[c] - fromMlNet[i][c]));
            int best = Array.IndexOf(probabilities, probabilities.Max());
            Assert.AreEqual(Path.GetFileNameWithoutExtension(photos[i]), best.ToString(), photos[i]);
        }
        Console.WriteLine($"{photos.Length} photos: largest |Node - ML.NET| probability difference {worst:E2}");
        Assert.IsTrue(worst <= 1e-4, $"Node and ML.NET differ by {worst:E2}");
    }
}
