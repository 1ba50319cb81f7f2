using System.CommandLine;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Core.Runs;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Training.Benchmarks;

namespace MLPipelines.Cli.Commands;

/// <summary>
/// <c>mlp bench train</c>: seconds per epoch and images per second of the default training (60,000 MNIST
/// images, batch 64; or any IDX data set by <c>--dataset</c>), and test-set inference throughput. A benchmark that
/// prints figures, not a test.
/// </summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var repeat = new Option<int>("--repeat") { Description = "Epochs to time (each from fresh weights); the best and median are reported", DefaultValueFactory = _ => 3 };
        var recipe = new Option<string>("--recipe") { Description = "Training recipe to time", DefaultValueFactory = _ => "assignment" };
        var vsPyTorch = new Option<bool>("--vs-pytorch") { Description = "Also time the same network and recipe in PyTorch (python3-torch), epoch for epoch alternately, and print both medians and the ratio" };
        var python = new Option<string?>("--python") { Description = "The python with torch for --vs-pytorch (default: python3, else /usr/bin/python3)", HelpName = "PATH" };
        var profile = new Option<bool>("--profile") { Description = "Instead, time each part of a training batch (each layer forward and backward, the project's kernels beside libtorch's ops)" };
        var dataset = new DatasetOptions();
        var command = new Command("train", "Time one epoch of training and the test-set inference")
        {
            data, threads, repeat, recipe, vsPyTorch, python, profile,
        };
        dataset.AddTo(command);
        command.WithExamples("mlp bench train", "mlp bench train --threads 1 --repeat 5", "mlp bench train --vs-pytorch --repeat 5", "mlp bench train --profile");
        command.SetAction(parse =>
        {
            if (parse.GetValue(profile))
            {
                Console.WriteLine("milliseconds per call, warm, on random data of the network's shapes:");
                foreach (var op in TrainingProfile.Run(threads: parse.GetValue(threads), cancel: Interrupt.Token))
                    Console.WriteLine(double.IsNaN(op.Milliseconds) ? $"  {op.Name}" : string.Create(CultureInfo.InvariantCulture, $"  {op.Name,-56} {op.Milliseconds,7:F3} ms"));
                return ExitCodes.Ok;
            }
            var spec = dataset.Resolve(parse);
            string folder = DataFiles.Ensure(DataLocation.Resolve(parse.GetValue(data)), spec, Interrupt.Token);
            IdxFiles? files = null;
            string pythonPath = "python3";
            if (parse.GetValue(vsPyTorch))
            {
                var (found, version, why) = PyTorchReference.Find(parse.GetValue(python));
                if (found is null) throw new UserError($"--vs-pytorch: {why}");
                pythonPath = found;
                Console.WriteLine($"PyTorch {version} ({found}): the same network and recipe, one epoch after each of ours");
                string File(IdxFileSpec f) => System.IO.File.Exists(Path.Combine(folder, f.Name)) ? Path.Combine(folder, f.Name) : Path.Combine(folder, f.GzipName);
                files = new IdxFiles(File(spec.TrainImages), File(spec.TrainLabels), File(spec.TestImages), File(spec.TestLabels));
            }
            var options = new TrainingBenchmarkOptions
            {
                Train = IdxDatasetLoader.Load(spec, folder, DataSplit.Train), Test = IdxDatasetLoader.Load(spec, folder, DataSplit.Test),
                Recipe = parse.GetValue(recipe)!, Threads = parse.GetValue(threads), Repeats = Math.Max(1, parse.GetValue(repeat)),
                PyTorchFiles = files, Python = pythonPath,
            };
            Console.WriteLine($"bench: {options.Train.Count:N0} training images, {options.Repeats} timed epochs");
            var inv = CultureInfo.InvariantCulture;
            TrainingBenchmarkResult? result;
            try
            {
                result = TrainingBenchmark.Run(options, new InlineProgress<BenchmarkEpoch>(e => Console.WriteLine(string.Create(inv,
                    $"  epoch {e.Number}: {e.TrainSeconds:F2} s ({e.TrainImagesPerSecond:N0} images/s); test inference {e.InferenceSeconds:F2} s ({e.InferenceImagesPerSecond:N0} images/s)"))),
                    Interrupt.Token, new InlineProgress<PyTorchEpoch>(e => Console.WriteLine(string.Create(inv,
                    $"  pytorch:  {e.TrainSeconds:F2} s ({e.TrainImagesPerSecond:N0} images/s); test inference {e.InferenceSeconds:F2} s ({e.InferenceImagesPerSecond:N0} images/s), accuracy {e.TestAccuracy:P2}"))));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                throw new UserError(e.Message);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Interrupted;
            }
            if (result is null) return ExitCodes.Interrupted;
            int images = options.Train.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seconds/epoch: best {result.BestSeconds:F2}, median {result.MedianSeconds:F2}; images/s: best {images / result.BestSeconds:N0}, median {images / result.MedianSeconds:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"test inference: {result.BestInferenceImagesPerSecond:N0} images/s (batch {result.TestBatchSize}); batch {result.BatchSize}, threads {result.Threads}"));
            if (result.PyTorch.Count > 0)
                Console.WriteLine(string.Create(inv,
                    $"vs PyTorch {result.PyTorch[0].TorchVersion} ({result.PyTorch[0].Threads} threads): median epoch {result.MedianSeconds:F2} s against {result.PyTorchMedianSeconds:F2} s, {result.Speedup:F2}x; " +
                    $"test inference {result.BestInferenceImagesPerSecond:N0} against {result.PyTorchBestInferenceImagesPerSecond:N0} images/s"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
