using System.Text.Json;
using MLPipelines.Core.Imaging;
using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.IO;
using MLPipelines.Reporting.Figures;

namespace MLPipelines.Reporting.Examine;

/// <summary>How a model reads one photo: its prediction, and the picture as given and as the model's preprocessing made it.</summary>
public sealed record HandwrittenReading(string Prediction, double Probability, GrayImage Original, GrayImage? Prepared);

/// <summary>A model as figure 6 uses it: its file and preprocessing (recorded in the results), its classes, and how it reads a photo
/// (an <see cref="InvalidImageException"/> for a file that is no image).</summary>
public sealed record HandwrittenReader(string Model, string Preprocessing, IReadOnlyList<string> Classes, Func<byte[], string, HandwrittenReading> Read);

/// <summary>
/// Figure 6: a digit model on people's handwritten digits: DATA/handwritten-digits/&lt;set&gt;/&lt;digit&gt;.png, one
/// folder per set (photos, drawings, ...), the file name being the digit. Writes the figure and handwritten.json.
/// </summary>
public static class HandwrittenFigures
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

    /// <summary>Reads every set with <paramref name="reader"/>; skipped files and each set's score are progress lines.</summary>
    public static HandwrittenResults Make(DigitRunFiles run, DataLocation data, HandwrittenReader reader, IProgress<WorkProgress>? progress = null)
    {
        var figureSets = new List<(string, IReadOnlyList<HandwrittenDigit>)>();
        var resultSets = new List<HandwrittenSet>();
        foreach (string set in Sets(Folder(data)))
        {
            var digits = new List<HandwrittenDigit>();
            var items = new List<HandwrittenItem>();
            foreach (var (path, label) in Images(set, reader.Classes))
            {
                try
                {
                    var r = reader.Read(File.ReadAllBytes(path), path);
                    digits.Add(new HandwrittenDigit(r.Original, r.Prepared, label, r.Prediction, r.Probability));
                    items.Add(new HandwrittenItem(Path.GetFileName(path), label, r.Prediction, r.Probability));
                }
                catch (InvalidImageException e)
                {
                    progress?.Report(WorkProgress.Warning($"skipped {e.Message}"));
                }
            }
            if (digits.Count == 0) continue;
            string name = Path.GetFileName(set);
            figureSets.Add((name, digits));
            resultSets.Add(new HandwrittenSet(name, set, items));
            progress?.Report(WorkProgress.Line($"  {name}: {items.Count(i => i.Correct)} of {items.Count} right"));
        }
        if (resultSets.Count == 0) throw new InvalidDataException($"no readable digit images in {Folder(data)}");

        var results = new HandwrittenResults(reader.Model, reader.Preprocessing, resultSets);
        Directory.CreateDirectory(run.FiguresFolder);
        AtomicFile.WriteAllText(run.Figure(FigureFiles.HandwrittenJson), JsonSerializer.Serialize(results, RunFiles.Json));
        HandwrittenFigure.Save(run.Figure(FigureFiles.Handwritten), figureSets);
        return results;
    }

    private static IEnumerable<(string Path, string Label)> Images(string set, IReadOnlyList<string>? classes) =>
        Directory.GetFiles(set).Order(StringComparer.Ordinal)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .Select(f => (f, Label: Path.GetFileNameWithoutExtension(f)))
            .Where(x => classes?.Contains(x.Label) ?? x.Label is [>= '0' and <= '9']);
}
