using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLPipelines.Core.MLNet;

namespace MLPipelines.Core.Models;

/// <summary>
/// The columns every model of the project ends with, as Model Builder's <c>ModelOutput</c> has them: <c>Score</c>
/// (each class's probability, in class order) and <c>PredictedLabel</c> (the most probable class's name, a scalar
/// string), made from a probability column by ML.NET's own transformers only, so a saved model needs nothing of ours.
/// <para>
/// ML.NET's ONNX transformer hands every output over as a vector, and no built-in transformer takes the arg-max of a
/// vector, except a scorer: here a k-means scorer whose k centroids are the k one-hot vectors. The squared distance
/// from a probability vector p to e_i is |p|² − 2 p_i + 1, so the nearest centroid is the most probable class,
/// exactly (only exact ties may go to another of the tied classes). Its key is mapped to the class name.
/// </para>
/// </summary>
public static class LabelFromScores
{
    private const string Doubled = "ProbabilitiesFlat", Cluster = "PredictedCluster";

    /// <summary>
    /// The transformers that turn <paramref name="probabilities"/> (a float vector of one entry per class, of any
    /// dimensions) into Score and PredictedLabel and drop the column they came from.
    /// </summary>
    public static ITransformer Fit(MLCatalogs ml, IDataView scored, string probabilities, IReadOnlyList<string> classes)
    {
        int n = classes.Count;
        if (n < 2) throw new ArgumentException("at least two classes are needed");
        var found = scored.Schema.GetColumnOrNull(probabilities)
            ?? throw new ArgumentException($"no column '{probabilities}' in the scored data");
        if (found.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: var size } || size != n)
            throw new ArgumentException($"'{probabilities}' must be a float vector of {n} entries (got {found.Type})");

        // A probability column from ONNX has the shape [1, n]: concatenated with itself it is a flat vector of 2n, and the
        // centroids (e_i, e_i) keep the arg-max the same.
        var flat = ml.Transforms.Concatenate(Doubled, probabilities, probabilities).Fit(scored);
        var oneHots = Enumerable.Range(0, n).Select(i => new OneHot { Values = Enumerable.Range(0, 2 * n).Select(j => j % n == i ? 1f : 0f).ToArray() }).ToList();
        var definition = SchemaDefinition.Create(typeof(OneHot));
        definition[nameof(OneHot.Values)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2 * n);
        var kmeans = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(OneHot.Values),
            NumberOfClusters = n,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            MaximumNumberOfIterations = 10,
            NumberOfThreads = 1,
        }).Fit(ml.Data.LoadFromEnumerable(oneHots, definition));

        VBuffer<float>[] centroids = default!;
        kmeans.Model.GetClusterCentroids(ref centroids, out int k);
        var names = new List<KeyValuePair<uint, string>>();
        for (int c = 0; c < k; c++)
        {
            var values = centroids[c].DenseValues().ToArray();
            int hot = Array.IndexOf(values, values.Max());
            if (values.Max() != 1f || values.Count(v => v != 0) != 2) throw new InvalidOperationException("k-means did not place a centroid on each class");
            names.Add(new((uint)(c + 1), classes[hot % n]));
        }
        if (names.Select(p => p.Value).Distinct().Count() != n) throw new InvalidOperationException("k-means did not give each class its own centroid");

        // The k-means scorer reads the flat column by the name it was trained on.
        var renamed = ml.Transforms.CopyColumns(nameof(OneHot.Values), Doubled).Fit(flat.Transform(scored));
        var clustered = kmeans.Transform(renamed.Transform(flat.Transform(scored)));
        var tail = ml.Transforms.DropColumns(ModelSchema.Score)
            .Append(ml.Transforms.CopyColumns(ModelSchema.Score, probabilities))
            .Append(ml.Transforms.Conversion.ConvertType(Cluster, ModelSchema.PredictedLabel, DataKind.UInt32))
            .Append(ml.Transforms.DropColumns(ModelSchema.PredictedLabel))
            .Append(ml.Transforms.Conversion.MapValue(ModelSchema.PredictedLabel, names, Cluster))
            .Append(ml.Transforms.DropColumns(probabilities, Doubled, nameof(OneHot.Values), Cluster))
            .Fit(clustered);
        return new TransformerChain<ITransformer>(flat, renamed, kmeans, tail);
    }

    private sealed class OneHot
    {
        public float[] Values { get; set; } = [];
    }
}
