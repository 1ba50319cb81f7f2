using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MLPipelines.Serving.Models;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the project's image models with an ASP.NET Core (or any Microsoft.Extensions.Hosting) app, as
/// <c>Microsoft.Extensions.ML</c>'s <c>AddPredictionEnginePool</c> does for ML.NET models: inject
/// <see cref="ImageClassifierPool"/> and predict by model name.
/// </summary>
public static class ImageClassifierServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="ImageClassifierPool"/> over the sources <paramref name="configure"/> names
    /// (<c>o.FromFolder("models", watchForChanges: true)</c>, <c>o.AddImageClassifier("digits", "models/digits.zip")</c>),
    /// and the hosted service that reloads watched sources when their files change.
    /// </summary>
    public static IServiceCollection AddImageClassifiers(this IServiceCollection services, Action<ImageClassifierPoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ImageClassifierPoolOptions();
        configure(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<ImageClassifierPool>();
        services.AddSingleton<IHostedService, ModelWatcher>();
        return services;
    }

    /// <summary>Adds one model file under <paramref name="name"/> (see <see cref="AddImageClassifiers"/>).</summary>
    public static IServiceCollection AddImageClassifier(this IServiceCollection services, string name, string path, bool watchForChanges = false) =>
        services.AddImageClassifiers(o => o.AddImageClassifier(name, path, watchForChanges));
}
