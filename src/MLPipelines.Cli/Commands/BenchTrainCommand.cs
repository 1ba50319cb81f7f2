using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLPipelines.Cli.Cli;
using MLPipelines.Data;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Training;
using MLPipelines.Training.Evaluation;
using static TorchSharp.torch;

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
        var dataset = new DatasetOptions();
        var command = new Command("train", "Time one epoch of training and the test-set inference")
        {
            data, threads, repeat, recipe,
        };
        dataset.AddTo(command);
        command.WithExamples("mlp bench train", "mlp bench train --threads 1 --repeat 5");
        command.SetAction(parse =>
        {
            var spec = dataset.Resolve(parse);
            string folder = DatasetAccess.Ensure(DataLocation.Resolve(parse.GetValue(data)), spec, cancel: Interrupt.Token);
            var trainImages = DatasetAccess.Load(spec, folder, DataSplit.Train);
            var testImages = DatasetAccess.Load(spec, folder, DataSplit.Test);
            int n = TorchRuntime.SetThreads(parse.GetValue(threads));
            var options = Recipes.Get(parse.GetValue(recipe)!) with { Epochs = 1, Threads = n };
            int repeats = Math.Max(1, parse.GetValue(repeat));

            using var train = new TensorDataset(trainImages, Normalization.Mnist);
            using var test = new TensorDataset(testImages, Normalization.Mnist);
            Console.WriteLine($"bench: {train.Count:N0} training images, batch {options.BatchSize}, {n} threads, {repeats} timed epochs");
            var epochTimes = new List<double>();
            var inferTimes = new List<double>();
            for (int r = 0; r < repeats && !Interrupt.Token.IsCancellationRequested; r++)
            {
                manual_seed(options.Seed + r);
                using var model = new DigitNet(new DigitNetOptions { Classes = spec.ClassNames.Count });
                using var trainer = new DigitTrainer(model, options, train, test);
                trainer.Run(Interrupt.Token);
                double epoch = trainer.State.TrainSeconds;
                var clock = Stopwatch.StartNew();
                Evaluator.Evaluate(model, test, options.TestBatchSize, 0);
                double infer = clock.Elapsed.TotalSeconds;
                epochTimes.Add(epoch);
                inferTimes.Add(infer);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  epoch {r + 1}: {epoch:F2} s ({train.Count / epoch:N0} images/s); test inference {infer:F2} s ({test.Count / infer:N0} images/s)"));
            }
            if (epochTimes.Count == 0) return ExitCodes.Interrupted;
            double best = epochTimes.Min(), median = Median(epochTimes), bestInfer = inferTimes.Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seconds/epoch: best {best:F2}, median {median:F2}; images/s: best {train.Count / best:N0}, median {train.Count / median:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"test inference: {test.Count / bestInfer:N0} images/s (batch {options.TestBatchSize}); threads {n}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
