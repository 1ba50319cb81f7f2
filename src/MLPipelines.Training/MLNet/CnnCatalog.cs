using Microsoft.ML;

namespace MLPipelines.Training.MLNet;

/// <summary>The CNN trainer on ML.NET's multiclass catalog: <c>ml.MulticlassClassification.Trainers.Cnn(options)</c>.</summary>
public static class CnnCatalog
{
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, CnnTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(new MLContext(), options ?? new CnnTrainerOptions());
    }
}
