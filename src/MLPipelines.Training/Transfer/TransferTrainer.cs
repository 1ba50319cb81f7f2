using Microsoft.ML;
using MLPipelines.Data.Datasets;
using MLPipelines.Models;
using MLPipelines.Core.Models;
using MLPipelines.Training.MLNet;
using static TorchSharp.torch;

namespace MLPipelines.Training.Transfer;

/// <summary>What a transfer-learning run made: the summaries before and after, the model and its pipeline.</summary>
public sealed class TransferResult(ModelSummary before, ModelSummary after, CnnModel model, ITransformer pipeline, int trainCount, IReadOnlyList<string> unchanged) : IDisposable
{
    /// <summary>The frozen digit network (every parameter non-trainable).</summary>
    public ModelSummary Before { get; } = before;
    /// <summary>The network with its new output layer, as trained.</summary>
    public ModelSummary After { get; } = after;
    /// <summary>The CNN estimator's model: the trained network, its curves and the ML.NET scorer.</summary>
    public CnnModel Model { get; } = model;
    /// <summary>Image transforms + CNN: what is saved and what predicts.</summary>
    public ITransformer Pipeline { get; } = pipeline;
    /// <summary>Images trained on (with augmented copies).</summary>
    public int TrainCount { get; } = trainCount;
    /// <summary>The frozen parameters, each checked bit-identical to the digit network's after training.</summary>
    public IReadOnlyList<string> FrozenUnchanged { get; } = unchanged;
    public IReadOnlyList<string> ClassNames => Model.ClassNames;
    public TrainingHistory History => Model.State.History;

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Transfer learning from the digit network, as the assignment does it: freeze every weight, replace the last
/// layer by one with an output per class, and train that layer (optionally fc1 or every layer too) on a few
/// images, through ML.NET (images → grayscale pixels → <see cref="CnnTrainer"/>). The training set itself is
/// evaluated after each epoch: the training loss and accuracy curves, and the early stop when it is learned.
/// </summary>
public static class TransferTrainer
{
    public static TransferResult Train(MLContext ml, DigitNet digits, PreparedImages train, TransferOptions options,
        ITrainingObserver? observer = null, CancellationToken cancel = default)
    {
        options.Validate();
        var o = options.Training;
        int side = digits.Options.InputSize;
        var original = train.ToLabeledImages();
        if (original.Width != side || original.Height != side)
            throw new ArgumentException($"prepared images are {original.Width}x{original.Height}; the network takes {side}x{side}");

        var (before, after) = Summaries(digits, options, original.ClassNames.Count);
        using var start = Freeze(digits, options.TrainablePrefixes);

        var trainImages = Augment(train, original, options.AugmentCopies, o.Seed);
        var keys = LabeledImageData.LabelToKey(ml, original.ClassNames);
        var pixels = ImagePipelines.GrayscalePixels(ml, side, side).Fit(keys.Transform(LabeledImageData.FromImages(ml, original.Take(1))));
        var trainView = pixels.Transform(keys.Transform(LabeledImageData.FromImages(ml, trainImages)));
        var learnedView = pixels.Transform(keys.Transform(LabeledImageData.FromImages(ml, original)));

        var trainer = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainerOptions
        {
            Network = digits.Options,
            InitialNetwork = start,
            NewOutputLayer = true,   // the assignment's new last layer, whatever the class count (10 too)
            Training = o,
            ValidationSet = learnedView,
            Observer = observer,
            Cancellation = cancel,
        });
        var cnn = trainer.Fit(trainView);
        try
        {
            var unchanged = CheckFrozen(digits, cnn.Network);
            return new TransferResult(before, after, cnn, pixels.Append(cnn), trainImages.Count, unchanged);
        }
        catch
        {
            cnn.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The assignment's two printouts: the digit network with every weight frozen, and the network with its new
    /// last layer of <paramref name="classes"/> outputs, trainable as <paramref name="options"/> say.
    /// </summary>
    public static (ModelSummary Before, ModelSummary After) Summaries(DigitNet digits, TransferOptions options, int classes)
    {
        int side = digits.Options.InputSize, batch = options.Training.BatchSize;
        var before = SummaryOf(digits, frozen: true, batch);
        using var start = Freeze(digits, options.TrainablePrefixes);
        using var probe = start.WithNewOutput(classes);
        return (before, ModelSummary.Of(probe, batch, 1, side, side));
    }

    /// <summary>A copy of the digit network with every parameter frozen except those starting with one of <paramref name="trainable"/>.</summary>
    public static DigitNet Freeze(DigitNet digits, IReadOnlyList<string> trainable)
    {
        var copy = digits.Copy();
        foreach (var (name, p) in copy.named_parameters())
            p.requires_grad = trainable.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
        return copy;
    }

    /// <summary>The digit network's summary; frozen, as the assignment prints it before replacing the last layer.</summary>
    public static ModelSummary SummaryOf(DigitNet digits, bool frozen, int batch)
    {
        using var copy = digits.Copy();
        copy.SetTrainable(!frozen);
        return ModelSummary.Of(copy, batch, 1, digits.Options.InputSize, digits.Options.InputSize);
    }

    /// <summary>
    /// The names of the trained network's frozen parameters, after checking that each is bit-identical to the digit
    /// network's. Throws when training changed one: the freeze did not hold.
    /// </summary>
    public static IReadOnlyList<string> CheckFrozen(DigitNet digits, DigitNet trained)
    {
        var mine = digits.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var names = new List<string>();
        foreach (var (name, p) in trained.named_parameters())
        {
            if (p.requires_grad) continue;
            if (!mine.TryGetValue(name, out var source) || !BitIdentical(source, p))
                throw new InvalidOperationException($"frozen parameter {name} changed during training");
            names.Add(name);
        }
        return names;
    }

    /// <summary>Same shape and the same bytes (not just equal values: -0 and 0 differ).</summary>
    public static bool BitIdentical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != ScalarType.Float32 || b.dtype != ScalarType.Float32) return false;
        float[] x = a.data<float>().ToArray(), y = b.data<float>().ToArray();
        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.AsSpan()));
    }

    private static LabeledImages Augment(PreparedImages train, LabeledImages original, int copies, long seed)
    {
        if (copies == 0) return original;
        var labels = train.Source.Files.Select(f => f.Label).ToList();
        var (images, all) = new LetterAugmenter(unchecked((int)seed)).Expand(train.Images, labels, copies);
        int size = original.ImageSize;
        var pixels = new byte[images.Count * size];
        for (int i = 0; i < images.Count; i++) images[i].ToBytes().CopyTo(pixels, i * size);
        return new LabeledImages(pixels, all.Select(l => (byte)l).ToArray(), original.Height, original.Width, original.ClassNames);
    }

    /// <summary>Saves the pipeline as a model .zip with its metadata and the TorchSharp network inside.</summary>
    public static void Save(MLContext ml, TransferResult result, string path, ModelMetadata metadata) =>
        NetworkModel.Save(ml, result.Model.Network, metadata, path);
}
