using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLPipelines.Animals.Features;

namespace MLPipelines.Animals.Heads;

/// <summary>
/// ML.NET's own multiclass trainers as the linear "retrain the last layer" head: L-BFGS maximum entropy
/// (multinomial logistic regression) or SDCA maximum entropy, on L2-normalised ResNet18 features (unit length:
/// the usual treatment of CNN features for a linear classifier). The L2 regularisation of L-BFGS is chosen by
/// k-fold cross-validation on the training split only (all views of a photo in one fold), so the validation
/// and test photos stay unseen.
/// </summary>
public static class MlNetHead
{
    public const string LabelKey = "LabelKey";
    public static readonly float[] L2Grid = [0.01f, 0.1f, 1f, 10f];

    public static IReadOnlyList<string> Kinds { get; } = ["lbfgs", "sdca"];

    /// <param name="l2Given">L-BFGS's L2 regularisation; null: chosen from <see cref="L2Grid"/> by cross-validation.</param>
    public static TrainedHead Train(MLContext ml, string kind, HeadData train, int folds = 5, int seed = 1, float? l2Given = null)
    {
        var clock = Stopwatch.StartNew();
        var view = train.ToDataView(ml);
        var notes = new List<string>();
        float l2 = l2Given ?? 0;
        if (kind == "lbfgs" && l2Given is null)
        {
            var scores = L2Grid.Select(c => (L2: c, Accuracy: CrossValidate(ml, view, train, Estimator(ml, kind, c, train), folds, seed))).ToList();
            var best = scores.OrderByDescending(s => s.Accuracy).ThenByDescending(s => s.L2).First();
            l2 = best.L2;
            notes.Add($"L2 regularisation by {folds}-fold cross-validation on the training split: "
                + string.Join(", ", scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.L2}: {s.Accuracy:P1}"))) + $" -> {l2.ToString(CultureInfo.InvariantCulture)}");
        }
        var model = Estimator(ml, kind, l2, train).Fit(view);
        return new Head(model)
        {
            Name = kind,
            Description = kind == "lbfgs"
                ? string.Create(CultureInfo.InvariantCulture, $"ML.NET L-BFGS maximum entropy (multinomial logistic regression, L2 {l2}) on L2-normalised features")
                : "ML.NET SDCA maximum entropy on L2-normalised features",
            ClassNames = train.ClassNames,
            TrainSeconds = clock.Elapsed.TotalSeconds,
            Notes = notes,
        };
    }

    private static EstimatorChain<Microsoft.ML.Transforms.KeyToValueMappingTransformer> Estimator(MLContext ml, string kind, float l2, HeadData train)
    {
        string features = BackbonePipeline.FeaturesColumn;
        IEstimator<ITransformer> trainer = kind switch
        {
            "lbfgs" => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelKey, FeatureColumnName = features, L1Regularization = 0, L2Regularization = l2,
            }),
            "sdca" => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelKey, FeatureColumnName = features, NumberOfThreads = 1,
            }),
            _ => throw new ArgumentException($"unknown ML.NET head '{kind}' (known: {string.Join(", ", Kinds)})"),
        };
        return ml.Transforms.Conversion.MapValueToKey(LabelKey, "Label", keyData: train.ClassNamesView(ml))
            .Append(ml.Transforms.NormalizeLpNorm(features))
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    }

    private static double CrossValidate(MLContext ml, IDataView view, HeadData train, IEstimator<ITransformer> estimator, int folds, int seed)
    {
        int k = Math.Min(folds, train.Labels.Select((l, i) => (l, g: train.Groups?[i] ?? i)).Distinct().GroupBy(x => x.l).Min(g => g.Count()));
        if (k < 2) return 0;
        return ml.MulticlassClassification.CrossValidate(view, estimator, numberOfFolds: k, labelColumnName: LabelKey, samplingKeyColumnName: nameof(HeadData.Row.Group), seed: seed)
            .Average(r => r.Metrics.MicroAccuracy);
    }

    private sealed class Head(TransformerChain<Microsoft.ML.Transforms.KeyToValueMappingTransformer> model) : TrainedHead
    {
        public override float[][] Predict(MLContext ml, float[][] features)
        {
            var data = new HeadData(features, new int[features.Length], ClassNames).ToDataView(ml);
            return model.Transform(data).GetColumn<float[]>("Score").ToArray();
        }

        // The label's key mapping is needed for training only; a saved model sees no label.
        public override IEnumerable<ITransformer> PipelineTransformers(MLContext ml) => model.Skip(1);
    }
}
