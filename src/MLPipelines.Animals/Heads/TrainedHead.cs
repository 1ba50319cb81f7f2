using Microsoft.ML;

namespace MLPipelines.Animals.Heads;

/// <summary>A trained head: class probabilities from backbone features, and how it goes into a saved model.</summary>
public abstract class TrainedHead : IDisposable
{
    /// <summary>Short name used on the command line and in file names (lbfgs, sdca, mlp).</summary>
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public double TrainSeconds { get; init; }
    /// <summary>Lines about the training (epochs, losses) for the log.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Probabilities per class (label order) for each feature vector.</summary>
    public abstract float[][] Predict(MLContext ml, float[][] features);

    /// <summary>The ML.NET transformers that follow the backbone in a saved model: Features -> Score, PredictedLabel.</summary>
    public abstract IEnumerable<ITransformer> PipelineTransformers(MLContext ml);

    public virtual void Dispose()
    {
    }
}
