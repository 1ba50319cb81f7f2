using MLPipelines.Core.MLNet;
using Microsoft.ML;

namespace MLPipelines.Training.MLNet;

/// <summary>
/// The CNN trainer on ML.NET's multiclass catalog: <c>ml.MulticlassClassification.Trainers.Cnn(options)</c>. It works in
/// the caller's MLContext (its environment, read from the catalog), as ML.NET's own trainers do.
/// </summary>
public static class CnnCatalog
{
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, CnnTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(MLCatalogs.Of(catalog), options ?? new CnnTrainerOptions());
    }
}
