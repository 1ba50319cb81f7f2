using System.Diagnostics;
using System.Text.Json;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Prediction;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;
using MLPipelines.Reporting.Figures;
using MLPipelines.Core.Runs;
using ReportImage = MLPipelines.Core.Imaging.GrayImage;

namespace MLPipelines.Cli.Examine;

/// <summary>
/// Figure 6: the run's model (its ML.NET .zip, through <see cref="ImageClassifier"/> and the photo preprocessing
/// named in the model) on people's handwritten digits: DATA/handwritten-digits/&lt;set&gt;/&lt;digit&gt;.png,
/// one folder per set (photos, drawings, ...), the file name being the digit.
/// </summary>
public static class HandwrittenExaminer
{
    public const string DataFolder = "handwritten-digits";
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

    public static string Folder(DataLocation data) => Path.Combine(data.Root, DataFolder);

    /// <summary>Null when figure 6 can be made; else what is missing and how to provide it.</summary>
    public static string? WhyNot(DigitRunFiles? run, DataLocation data)
    {
        if (run is null) return "no trained digit network in this run (the digits stage did not finish)";
        if (!File.Exists(run.File("model.zip"))) return $"{run.Folder} has no model.zip (train with 'mlp mnist train' or 'mlp all' to make one)";
        string folder = Folder(data);
        if (Sets(folder).Count == 0)
            return $"put people's digits, one folder per set, each image named by its digit (7.png), in {folder}/<set>/ (see README)";
        return null;
    }

    /// <summary>Set folders holding at least one image whose name is a digit.</summary>
    public static IReadOnlyList<string> Sets(string folder) => !Directory.Exists(folder) ? [] :
        Directory.GetDirectories(folder).Order(StringComparer.Ordinal).Where(d => Images(d, null).Any()).ToList();

    private static IEnumerable<(string Path, string Label)> Images(string set, IReadOnlyList<string>? classes) =>
        Directory.GetFiles(set).Order(StringComparer.Ordinal)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .Select(f => (f, Label: Path.GetFileNameWithoutExtension(f)))
            .Where(x => classes?.Contains(x.Label) ?? x.Label is [>= '0' and <= '9']);

    public static HandwrittenResults Run(DigitRunFiles run, DataLocation data)
    {
        var clock = Stopwatch.StartNew();
        string model = run.File("model.zip");
        using var classifier = Load(model);
        var preprocessor = ImagePreprocessors.Get(classifier.Metadata.Preprocessing);
        var figureSets = new List<(string, IReadOnlyList<HandwrittenDigit>)>();
        var resultSets = new List<HandwrittenSet>();
        foreach (string set in Sets(Folder(data)))
        {
            var digits = new List<HandwrittenDigit>();
            var items = new List<HandwrittenItem>();
            foreach (var (path, label) in Images(set, classifier.Classes))
            {
                byte[] bytes = File.ReadAllBytes(path);
                try
                {
                    var prediction = classifier.Predict(bytes, path);
                    var gray = ImageDecoder.DecodeGray(bytes, path);
                    var prepared = preprocessor?.Process(gray);
                    digits.Add(new HandwrittenDigit(ToReport(gray), prepared is null ? null : ToReport(prepared), label, prediction.Label, prediction.Probability));
                    items.Add(new HandwrittenItem(Path.GetFileName(path), label, prediction.Label, prediction.Probability));
                }
                catch (InvalidImageException e)
                {
                    Console.WriteLine($"  skipped {e.Message}");
                }
            }
            if (digits.Count == 0) continue;
            string name = Path.GetFileName(set);
            figureSets.Add((name, digits));
            resultSets.Add(new HandwrittenSet(name, set, items));
            Console.WriteLine($"  {name}: {items.Count(i => i.Correct)} of {items.Count} right");
        }
        if (resultSets.Count == 0) throw new UserError($"no readable digit images in {Folder(data)}");

        var results = new HandwrittenResults(model, classifier.Metadata.Preprocessing, resultSets);
        Directory.CreateDirectory(run.FiguresFolder);
        Data.IO.AtomicFile.WriteAllText(run.Figure(FigureFiles.HandwrittenJson), JsonSerializer.Serialize(results, RunFiles.Json));
        HandwrittenFigure.Save(run.Figure(FigureFiles.Handwritten), figureSets);
        Console.WriteLine($"  {FigureFiles.Handwritten}: {results.Correct} of {results.Count} right ({clock.Elapsed.TotalSeconds:F1} s)");
        return results;
    }

    private static ImageClassifier Load(string model)
    {
        try
        {
            return ImageClassifier.Load(model);
        }
        catch (InvalidModelException e)
        {
            throw new UserError(e.Message);
        }
    }

    private static ReportImage ToReport(GrayImage g) => new(g.Width, g.Height, g.Pixels);
}
