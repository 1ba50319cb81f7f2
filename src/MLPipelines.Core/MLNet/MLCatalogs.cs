using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLPipelines.Core.MLNet;

/// <summary>
/// The ML.NET catalogs the project's trainers build their transformers with, all of one environment: an
/// <see cref="MLContext"/>'s own, or the environment of the catalog a trainer was made from
/// (<c>ml.MulticlassClassification.Trainers.Cnn(...)</c>), so that the caller's context (its seed, GPU settings, log and
/// <c>CancelExecution</c>) reaches <c>Fit</c>. ML.NET hands its catalogs that environment but keeps it internal (its
/// own trainers use <c>CatalogUtils.GetEnvironment</c>); it is read here by reflection, checked by a test.
/// </summary>
public sealed class MLCatalogs
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private MLCatalogs(IHostEnvironment environment, TransformsCatalog transforms, ClusteringCatalog clustering, DataOperationsCatalog data)
    {
        Environment = environment;
        Transforms = transforms;
        Clustering = clustering;
        Data = data;
    }

    public IHostEnvironment Environment { get; }
    public TransformsCatalog Transforms { get; }
    public ClusteringCatalog Clustering { get; }
    public DataOperationsCatalog Data { get; }

    public static MLCatalogs Of(MLContext ml) => new(ml, ml.Transforms, ml.Clustering, ml.Data);

    /// <summary>The catalogs of the environment <paramref name="catalog"/> belongs to (the caller's MLContext's).</summary>
    public static MLCatalogs Of(TrainCatalogBase.CatalogInstantiatorBase catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var internalCatalog = typeof(TransformsCatalog).Assembly.GetType("Microsoft.ML.Data.IInternalCatalog")
            ?? throw new NotSupportedException("this ML.NET version hides its catalogs' environment differently");
        var environment = internalCatalog.GetProperty("Environment")?.GetValue(catalog) as IHostEnvironment
            ?? throw new NotSupportedException("cannot read the ML.NET catalog's environment");
        return new MLCatalogs(environment, Make<TransformsCatalog>(environment), Make<ClusteringCatalog>(environment), Make<DataOperationsCatalog>(environment));
    }

    private static T Make<T>(IHostEnvironment environment) =>
        (T)(Activator.CreateInstance(typeof(T), Internal, binder: null, [environment], culture: null)
            ?? throw new NotSupportedException($"cannot make ML.NET's {typeof(T).Name}"));
}
