using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using MLPipelines.Animals.Report;
using MLPipelines.Animals.Tests.Support;
using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Stages;
using MLPipelines.Data;
using MLPipelines.Models;
using MLPipelines.Prediction;
using MLPipelines.Core.Runs;
using MLPipelines.Tests.Support;
using MLPipelines.Training;

namespace MLPipelines.Animals.Tests;

/// <summary>
/// The animals stage of <c>mlp all</c> (skip reasons), and <c>mlp all</c> end to end with the new stages only: a tiny
/// sweep and a tiny hymenoptera subset, their report sections, the saved model through ImageClassifier and <c>mlp animals test</c>.
/// </summary>
[TestClass]
public sealed class AllStagesTests
{
    [TestMethod]
    public void WithoutAnimalPhotosTheStageIsSkippedSayingWhereToPutThem()
    {
        using var data = new TempDir();
        var stage = new AnimalsStage();
        Assert.IsFalse(stage.CanRun(Context(data.Path, stage), out string reason));
        StringAssert.StartsWith(reason, $"no animal photos: {Path.Combine(data.Path, "animals")} is missing");
        StringAssert.Contains(reason, "--animals-sets FOLDER");

        Directory.CreateDirectory(Path.Combine(data.Path, "animals", "birds"));
        Assert.IsFalse(stage.CanRun(Context(data.Path, stage), out reason));
        StringAssert.StartsWith(reason, $"no photo set in {Path.Combine(data.Path, "animals")} (looked for hymenoptera/, animals10/)");

        Directory.CreateDirectory(Path.Combine(data.Path, "animals", "hymenoptera"));
        Assert.IsTrue(stage.CanRun(Context(data.Path, stage), out _));
        Assert.IsTrue(stage.CanRun(Context(Path.Combine(data.Path, "elsewhere"), stage, "--animals-sets", "/some/folder"), out _),
            "a set given explicitly is checked when the stage runs");
    }

    [TestMethod]
    [TestCategory("slow")]
    public void AllWithTheSweepAndAnimalsStagesReportsBoth()
    {
        string data = Path.GetDirectoryName(AnimalsData.Root)!;
        using var temp = new TempDir();
        string hym = Path.Combine(temp.Path, "hym"), other = Path.Combine(temp.Path, "hym2");
        AnimalsData.LinkHymenopteraSubset(hym, train: 8, val: 6);
        AnimalsData.LinkHymenopteraSubset(other, train: 8, val: 6);
        string runs = Path.Combine(temp.Path, "runs");
        var (code, output, errors) = CliRunner.Mlp("all", "--data", data, "--runs", runs, "--skip", "digits", "examine", "handwritten", "greek",
            "--train-limit", "300", "--test-limit", "300", "--sweep-workers", "1", "--animals-sets", $"{hym},{other}", "--animals-budget", "1s");
        Assert.AreEqual(0, code, output + errors);

        string run = Directory.GetDirectories(runs, "*-all").Single();
        var log = StageLog.Read(run)!;
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "sweep").Status);
        Assert.AreEqual(StageStatus.Done, log.Stages.Single(s => s.Name == "animals").Status);
        // The second set does not fit in a 1-second budget: left out, with the estimate and how to include it.
        var sets = AnimalsStageFiles.Read(Path.Combine(run, "animals"))!;
        Assert.AreEqual(AnimalSetOutcome.Trained, sets[0].Status);
        Assert.AreEqual(AnimalSetOutcome.LeftOut, sets[1].Status);
        StringAssert.Contains(sets[1].Reason, "left of --animals-budget 1s");
        StringAssert.Contains(output, "animals: hym2 left out — would take ~");

        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        foreach (string part in new[]
                 {
                     "<section id=\"sweep\">", "Accuracy and time by dropout", "The assignment&#39;s hypotheses", "<strong>Best trial</strong>",
                     "<section id=\"animals\">", "hym: heads compared on the same features", "lbfgs (saved)", "<th>precision</th><th>recall</th>",
                     "<th>true \\ predicted</th><th>ants</th><th>bees</th>", "hym2: left out", "mlp animals train " + hym,
                 })
            Assert.IsTrue(html.Contains(part, StringComparison.Ordinal), $"the report lacks: {part}");
        foreach (string figure in new[] { "class_distribution.png", "samples.png", "heads_validation.png", "validation_predictions.png" })
            Assert.IsTrue(html.Contains($"({figure})", StringComparison.Ordinal), $"the report lacks {figure}");
        // Sweep: 3 factors, time against kernel, curves, history, importances, parallel coordinates. Animals: 2 explore
        // figures, heads, predictions, maybe the mistakes.
        int images = Regex.Matches(html, "<img src=\"data:image/png;base64,").Count;
        int mistakes = File.Exists(Path.Combine(run, "animals", "hym", "confident_mistakes.png")) ? 1 : 0;
        Assert.AreEqual(8 + 4 + mistakes, images);

        // The saved model through the project's prediction API, and mlp animals test on the run's held-out photos.
        string model = Path.Combine(run, "animals", "hym", "model.zip");
        using (var classifier = ImageClassifier.Load(model))
        {
            string photo = Directory.GetFiles(Path.Combine(hym, "val", "bees")).Order(StringComparer.Ordinal).First();
            var prediction = classifier.Predict(photo);
            CollectionAssert.AreEqual(new[] { "ants", "bees" }, classifier.Classes.ToArray());
            Assert.AreEqual(1.0, prediction.Scores.Sum(s => s.Probability), 1e-4);
        }
        var test = CliRunner.Mlp("animals", "test", Path.Combine(run, "animals", "hym"), "--data", data, "--runs", runs);
        Assert.AreEqual(0, test.Code, test.Out + test.Error);
        StringAssert.Contains(test.Out, "testing on 12 validation photos of hym (split of the training run");
        string testRun = Directory.GetDirectories(runs, "*-animals-test-hym").Single();
        using var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "animals", "hym", "evaluation.json")));
        using var tested = JsonDocument.Parse(File.ReadAllText(Path.Combine(testRun, "evaluation.json")));
        Assert.AreEqual(trained.RootElement.GetProperty("accuracy").GetDouble(), tested.RootElement.GetProperty("accuracy").GetDouble(),
            "the saved model end to end scores what the head scored on the features");
    }

    private static StageContext Context(string data, IStage stage, params string[] args)
    {
        var command = new RootCommand();
        foreach (var option in stage.Options) command.Add(option);
        return new StageContext
        {
            Run = RunFolder.Create(Path.Combine(data, "runs"), "all"),
            Data = new DataLocation(data, "test"),
            Parse = command.Parse(args),
            Training = new TrainingOptions(),
            Model = new DigitNetOptions(),
            CommandLine = "mlp all (test)",
        };
    }
}
