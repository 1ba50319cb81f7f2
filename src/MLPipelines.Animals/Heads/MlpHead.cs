using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Animals.Features;

namespace MLPipelines.Animals.Heads;

/// <summary>
/// The assignment's head on the frozen backbone: L2-normalised features -> Dense 256, ReLU, dropout, Dense N
/// (<see cref="MlpHeadTrainer"/>: TorchSharp inside an ML.NET estimator, ONNX in the saved model).
/// </summary>
public static class MlpHead
{
    public static TrainedHead Train(MLContext ml, HeadData train, HeadData? validation, MlpHeadOptions options,
        Action<string>? log = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var notes = new List<string>();
        var labelKey = ml.Transforms.Conversion.MapValueToKey(MlNetHead.LabelKey, "Label", keyData: train.ClassNamesView(ml));
        var normalize = ml.Transforms.NormalizeLpNorm(BackbonePipeline.FeaturesColumn);
        IDataView? validationView = null;
        if (validation is { Count: > 0 })
        {
            var prep = labelKey.Append(normalize).Fit(train.ToDataView(ml));
            validationView = prep.Transform(validation.ToDataView(ml));
        }
        var estimator = ml.MulticlassClassification.Trainers.MlpHead(options with
        {
            LabelColumnName = MlNetHead.LabelKey,
            ValidationSet = validationView,
            Progress = new Lines(line =>
            {
                notes.Add(line);
                log?.Invoke(line);
            }),
            Cancellation = cancel,
        });
        var model = labelKey.Append(normalize).Append(estimator).Fit(train.ToDataView(ml));
        return new Head(model)
        {
            Name = "mlp",
            Description = $"Dense {options.Hidden}, ReLU, dropout {options.Dropout}, Dense {train.ClassNames.Count} on L2-normalised features "
                          + $"(TorchSharp, Adam lr {options.LearningRate}, {options.Epochs} epochs; ONNX in the model)",
            ClassNames = train.ClassNames,
            TrainSeconds = clock.Elapsed.TotalSeconds,
            Notes = notes,
        };
    }

    /// <summary>Progress lines in order, on the training thread.</summary>
    private sealed class Lines(Action<string> line) : IProgress<string>
    {
        public void Report(string value) => line(value);
    }

    private sealed class Head(TransformerChain<MlpHeadModel> model) : TrainedHead
    {
        public override float[][] Predict(MLContext ml, float[][] features)
        {
            var data = new HeadData(features, new int[features.Length], ClassNames).ToDataView(ml);
            return model.Transform(data).GetColumn<float[]>("Score").ToArray();
        }

        public override IEnumerable<ITransformer> PipelineTransformers(MLContext ml) => model.Skip(1);
    }
}
