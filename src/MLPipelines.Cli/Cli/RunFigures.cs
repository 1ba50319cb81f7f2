using MLPipelines.Core.Imaging;
using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Prediction;
using MLPipelines.Reporting.Examine;
using MLPipelines.Reporting.Report;
using MLPipelines.Training;

namespace MLPipelines.Cli.Cli;

/// <summary>What <c>mlp examine</c> and the examine stages call: the run's data and network in, Reporting's figures out.</summary>
public static class RunFigures
{
    /// <summary>The digit training results a path names: a training run folder, or an <c>mlp all</c> run's digits/.</summary>
    public static DigitRunFiles Find(string path) =>
        new ReportContext(RunFolder.Open(path).Path).Digits ?? throw new UserError(
            $"{path} holds no training results (no evaluation.json and options.json in it or in its {ReportContext.DigitsFolderName}/ folder): " +
            "make them with 'mlp all' or 'mlp mnist train'");

    /// <summary>Figures 1-4 and 7-9 (<see cref="DigitFigures"/>) from the run, its model and the data it trained on.</summary>
    public static IReadOnlyList<string> Digits(DigitRunFiles run, DataLocation location, int threads)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (spec, trained) = DigitFigures.DatasetOf(run);
        string folder = trained ?? DataFiles.Ensure(location, spec, Interrupt.Token);
        var train = IdxDatasetLoader.Load(spec, folder, DataSplit.Train);
        var test = IdxDatasetLoader.Load(spec, folder, DataSplit.Test);
        TorchRuntime.SetThreads(threads);
        using var model = DigitNetFiles.Load(run.Folder).Network;
        var inputs = new DigitFigureInputs(train, test, DigitNetInspection.Summary(model, DigitFigures.BatchSize(run), train.Height, train.Width),
            DigitNetInspection.Filters(model));
        var written = ProgressDisplay.Run("figures", progress => DigitFigures.Make(run, inputs, progress));
        Console.WriteLine($"figures of {run.Folder} made in {clock.Elapsed.TotalSeconds:F1} s");
        return written;
    }

    /// <summary>Figure 6 (<see cref="HandwrittenFigures"/>): the run's model .zip, through <see cref="ImageClassifier"/>, on people's digits.</summary>
    public static HandwrittenResults Handwritten(DigitRunFiles run, DataLocation data)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string model = run.File("model.zip");
        using var classifier = ImageClassifier.Load(model);
        var preprocessor = ImagePreprocessors.Get(classifier.Metadata.Preprocessing);
        var reader = new HandwrittenReader(model, classifier.Metadata.Preprocessing, classifier.Classes, (bytes, path) =>
        {
            var prediction = classifier.Predict(bytes, path);
            var gray = ImageDecoder.DecodeGray(bytes, path);
            return new HandwrittenReading(prediction.Label, prediction.Probability, gray, preprocessor?.Process(gray));
        });
        var results = ProgressDisplay.Run("handwritten", progress => HandwrittenFigures.Make(run, data, reader, progress));
        Console.WriteLine($"  {FigureFiles.Handwritten}: {results.Correct} of {results.Count} right ({clock.Elapsed.TotalSeconds:F1} s)");
        return results;
    }
}
