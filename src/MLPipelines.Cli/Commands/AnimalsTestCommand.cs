using MLPipelines.Animals.Report;
using MLPipelines.Core.Runs;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLPipelines.Animals.Data;
using MLPipelines.Animals.Evaluation;
using MLPipelines.Animals.Features;
using MLPipelines.Cli.Cli;
using MLPipelines.Prediction;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp animals test</c>: a saved animals model run end to end (image files -> <see cref="ImageClassifier"/> over
/// model.zip -> probabilities), the project's prediction API as an app uses it, on the
/// photos its training run kept out (the run's split.csv), or on a set's test split. Accuracy, per-class
/// precision/recall, confusion matrix, a grid of predictions and the most confident mistakes.
/// </summary>
public static class AnimalsTestCommand
{
    public static Command Create()
    {
        var shared = new AnimalsShared();
        var modelArg = new Argument<string>("model") { Description = "A training run folder (its model.zip and split.csv) or a model .zip" };
        var dataset = new Argument<string?>("dataset")
        {
            Description = "Photo set to test on (default: the one the run trained on)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("test", "Test a saved animals model on the test split (validation for sets without one)")
        {
            modelArg, dataset, shared.Data, shared.Runs, shared.Threads,
        };
        shared.AddSplitOptions(command);
        command.WithExamples(
            "mlp animals test runs/20261125-140618-animals-train-hymenoptera",
            "mlp animals test runs/20261125-141500-animals-train-animals10/model.zip animals10 --seed 1");
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var (modelPath, runFolder) = Resolve(parse.GetValue(modelArg)!);
            string? datasetName = parse.GetValue(dataset) ?? TrainedOn(runFolder)
                ?? throw new UserError("which photo set? give it after the model (the model is not in a training run folder)");
            var set = AnimalsShared.LoadSet(datasetName, parse.GetValue(shared.Data));

            int threads = parse.GetValue(shared.Threads);
            if (threads < 0) throw new UserError($"--threads must be >= 0 (got {threads})");
            ImageClassifier model;
            try
            {
                // Photos go one at a time through the ResNet: its own threads are the parallelism (ImageClassifier's default is one).
                model = ImageClassifier.Load(modelPath, new BackboneOptions { Threads = threads }.EffectiveThreads);
            }
            catch (Exception e) when (e is InvalidModelException or ArgumentException)
            {
                throw new UserError(e.Message);
            }
            using var classifier = model;
            var classes = model.Metadata.Classes;
            var unknown = set.ClassNames.Where(c => !classes.Contains(c)).ToList();
            if (unknown.Count > 0) throw new UserError($"the model does not know class(es) {string.Join(", ", unknown)} of {set.Name} (it knows {string.Join(", ", classes)})");

            var splits = SplitsFor(set, runFolder, shared, parse, out string splitSource);
            var split = splits.Contains(Split.Test) ? Split.Test : Split.Validation;
            string splitName = split == Split.Test ? "test" : "validation";
            var photos = Enumerable.Range(0, set.Photos.Count).Where(i => splits[i] == split).ToList();
            if (photos.Count == 0) throw new UserError($"{set.Name} has no {splitName} photos");
            Console.WriteLine($"{Path.GetFileName(modelPath)}: {model.Metadata.Description}");
            Console.WriteLine($"testing on {photos.Count} {splitName} photos of {set.Name} ({splitSource})");

            var run = RunFolder.Create(parse.GetValue(shared.Runs), $"animals-test-{set.Name}");
            const int chunk = 16;
            var probabilities = ProgressDisplay.Run("predict", photos.Count, sink =>
            {
                var all = new List<float[]?>();
                for (int start = 0; start < photos.Count; start += chunk)
                {
                    Interrupt.Token.ThrowIfCancellationRequested();
                    all.AddRange(EvaluationFiles.Probabilities(model, photos.Skip(start).Take(chunk).Select(i => set.Photos[i].Path).ToList()));
                    sink.Report(Math.Min(start + chunk, photos.Count), $"{Math.Min(start + chunk, photos.Count)}/{photos.Count}");
                }
                return all;
            });
            var readable = Enumerable.Range(0, photos.Count).Where(k => probabilities[k] is not null).ToList();
            foreach (int k in Enumerable.Range(0, photos.Count).Except(readable)) Console.WriteLine($"skipped {set.Photos[photos[k]].Path}: does not decode");
            var labels = readable.Select(k => classes.ToList().IndexOf(set.ClassNames[set.Photos[photos[k]].Label])).ToArray();
            var report = ClassificationReport.From(classes, labels, readable.Select(k => probabilities[k]!).ToArray());
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(EvaluationFiles.Write(run, set, readable.Select(k => photos[k]).ToList(), report, splitName, $"{set.Name}, {Path.GetFileName(modelPath)}"));
            run.WriteJson("options.json", new { model = modelPath, dataset = set.Root, split = splitName, split_source = splitSource });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s ({seconds * 1000 / Math.Max(1, photos.Count):F0} ms/photo end to end: ImageClassifier over the saved ML.NET pipeline, 16 photos per call)"));
            Console.WriteLine($"run folder: {run.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (string Model, string? RunFolder) Resolve(string path)
    {
        if (Directory.Exists(path))
        {
            string zip = Path.Combine(path, "model.zip");
            if (!File.Exists(zip)) throw new UserError($"{path} holds no model.zip");
            return (Path.GetFullPath(zip), Path.GetFullPath(path));
        }
        if (!File.Exists(path)) throw new UserError($"model not found: {path}");
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        return (Path.GetFullPath(path), dir is not null && File.Exists(Path.Combine(dir, SplitFile.Name)) ? dir : null);
    }

    /// <summary>The photo set the run trained on, from its options.json.</summary>
    private static string? TrainedOn(string? runFolder)
    {
        if (runFolder is null) return null;
        try
        {
            return new AnimalsRunFiles(runFolder).Options()?.Dataset;
        }
        catch (RunFileException)
        {
            return null;
        }
    }

    /// <summary>The run's split when it lists this set's photos (so the test photos are the ones training never saw), else a fresh one.</summary>
    private static Split[] SplitsFor(PhotoSet set, string? runFolder, AnimalsShared shared, ParseResult parse, out string source)
    {
        if (runFolder is not null && File.Exists(Path.Combine(runFolder, SplitFile.Name)))
        {
            var given = SplitFile.Read(Path.Combine(runFolder, SplitFile.Name), set);
            if (given.Any(s => s is not null))
            {
                source = $"split of the training run, {Path.Combine(runFolder, SplitFile.Name)}";
                return given.Select(s => s ?? Split.Train).ToArray();
            }
        }
        source = set.HasGivenSplit ? "the set's own split" : $"seeded split, seed {parse.GetValue(shared.Seed)}";
        return shared.AssignSplits(parse, set);
    }
}
