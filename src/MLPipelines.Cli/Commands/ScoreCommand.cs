using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Prediction.Scoring;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp score</c>: scores every image a CSV manifest lists into an output CSV (the manifest's columns, then
/// predicted_label, probability, score_&lt;class&gt;..., error), with metrics when the manifest has labels.
/// Ctrl+C keeps the rows done in &lt;out&gt;.partial.csv; --resume continues them.
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model .zip (or a run folder holding model.zip)", Required = true, HelpName = "ZIP" };
        var manifest = new Option<string>("--manifest")
        {
            Description = "CSV with a header row; image paths relative to its folder or absolute, optionally labels",
            Required = true,
            HelpName = "CSV",
        };
        var output = new Option<string?>("--out") { Description = "Output CSV (default: the manifest's name with .scored.csv)", HelpName = "CSV" };
        var pathColumn = new Option<string>("--path-column") { Description = "Column with the image paths", DefaultValueFactory = _ => ScoreOptions.DefaultPathColumn, HelpName = "NAME" };
        var labelColumn = new Option<string>("--label-column")
        {
            Description = "Column with the true labels, for metrics (optional unless given)",
            DefaultValueFactory = _ => ScoreOptions.DefaultLabelColumn,
            HelpName = "NAME",
        };
        var resume = new Option<bool>("--resume") { Description = "Continue the run that Ctrl+C stopped, from <out>.partial.csv" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the output file when it exists (default: refuse)" };
        var chunk = new Option<int>("--chunk-size") { Description = "Rows read, scored in parallel and written per step", DefaultValueFactory = _ => new ScoreOptions().ChunkSize, HelpName = "N" };
        var parallelism = new Option<int>("--parallelism") { Description = "Images scored at once (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "N" };
        var maxPixels = CommonOptions.MaxPixels();
        var command = new Command("score", "Score the images a CSV manifest lists; with labels, accuracy, per-class precision/recall/F1 and a confusion matrix")
        {
            model, manifest, output, pathColumn, labelColumn, resume, overwrite, chunk, parallelism, maxPixels,
        };
        command.WithExamples(
            "mlp score --model models/digits.zip --manifest photos.csv --out scored.csv",
            "mlp score --model models/digits.zip --manifest uploads.csv --path-column file --label-column truth",
            "mlp score --model models/digits.zip --manifest photos.csv --out scored.csv --resume   (continue after Ctrl+C)");
        command.SetAction(parse =>
        {
            string manifestPath = Path.GetFullPath(parse.GetValue(manifest)!);
            string outputPath = Path.GetFullPath(parse.GetValue(output) ?? DefaultOutput(manifestPath));
            var options = new ScoreOptions
            {
                PathColumn = parse.GetValue(pathColumn)!,
                LabelColumn = parse.GetValue(labelColumn)!,
                LabelColumnRequired = parse.GetResult(labelColumn) is { Implicit: false },
                ChunkSize = parse.GetValue(chunk),
                Parallelism = parse.GetValue(parallelism),
                Overwrite = parse.GetValue(overwrite),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UserError(e.Message);
            }
            if (!File.Exists(manifestPath)) throw new UserError($"manifest not found: {manifestPath}");
            bool resuming = parse.GetValue(resume);
            string partial = ManifestScorer.PartialPathFor(outputPath);
            if (!resuming && File.Exists(partial))
                throw new UserError($"{partial} holds the rows of an interrupted run: add --resume to continue it, or delete it to start over");
            if (!resuming && File.Exists(outputPath) && !options.Overwrite)
                throw new UserError($"the output {outputPath} exists: give another --out, or add --overwrite to replace it");

            using var classifier = Classifiers.Load(parse.GetValue(model)!, CommonOptions.Limits(parse.GetValue(maxPixels)));
            Console.WriteLine($"model:    {Classifiers.Describe(classifier)}");
            Console.WriteLine($"manifest: {manifestPath}");
            var scorer = new ManifestScorer(classifier, options);
            ScoreSummary summary;
            try
            {
                // Progress in units of the rows left to score, so that the ETA of a resumed run is right.
                const double Units = 10_000;
                summary = ProgressDisplay.Run("score", Units, sink => scorer.ScoreFile(manifestPath, outputPath, resuming, p =>
                {
                    long left = (p.RowsTotal ?? p.RowsDone) - p.RowsResumed;
                    double fraction = left <= 0 ? 1 : (double)p.RowsScored / left;
                    sink.Report(fraction * Units, string.Create(CultureInfo.InvariantCulture,
                        $"{p.RowsDone:N0}/{p.RowsTotal:N0} rows, {p.Errors:N0} errors, {p.RowsScored / Math.Max(p.Elapsed.TotalSeconds, 1e-9):N0} images/s"));
                }, Interrupt.Token));
            }
            catch (ScoringException e)
            {
                throw new UserError(e.Message);
            }
            Report(summary, options);
            if (!summary.Completed)
            {
                Console.WriteLine($"interrupted after {summary.Rows:N0} of {summary.TotalRows:N0} rows; they are in {summary.PartialPath}");
                Console.WriteLine($"continue with: mlp score --model {classifier.Path} --manifest {manifestPath} --out {outputPath} --resume");
                return ExitCodes.Interrupted;
            }
            Console.WriteLine($"wrote:    {summary.OutputPath}");
            if (summary.MetricsPath is not null) Console.WriteLine($"metrics:  {summary.MetricsPath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>photos.csv → photos.scored.csv beside it.</summary>
    public static string DefaultOutput(string manifest) =>
        Path.Combine(Path.GetDirectoryName(manifest)!, Path.GetFileNameWithoutExtension(manifest) + ".scored.csv");

    private static void Report(ScoreSummary s, ScoreOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        if (s.Resumed > 0) Console.WriteLine($"resumed:  {s.Resumed:N0} rows kept from the interrupted run");
        Console.WriteLine(string.Create(c,
            $"scored:   {s.Scored:N0} rows in {s.Elapsed.TotalSeconds:F1} s ({s.ImagesPerSecond:N1} images/s, {options.Parallelism} at once); {s.Errors:N0} rows with errors"));
        foreach (var e in s.FirstErrors) Console.WriteLine($"  row {e.Row:N0} {e.Path}: {e.Error}");
        if (s.Errors > s.FirstErrors.Count) Console.WriteLine($"  ... see the error column for all {s.Errors:N0}");
        // Metrics of part of the rows would read like the result; they come when the run is complete.
        if (s.Completed && s.Metrics is { } m)
        {
            if (m.Total == 0) Console.WriteLine($"no row has a label in column '{options.LabelColumn}' and no error: no metrics");
            else Console.Write(MetricsReport.ToText(m));
        }
    }
}
