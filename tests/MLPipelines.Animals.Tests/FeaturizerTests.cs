using MLPipelines.Animals.Data;
using MLPipelines.Animals.Features;
using MLPipelines.Animals.Tests.Support;
using MLPipelines.Tests.Support;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLPipelines.Animals.Tests;

/// <summary>The fast batched featurizer must give the features the saved ML.NET pipeline computes.</summary>
[TestClass]
public sealed class FeaturizerTests
{
    /// <summary>Photos of every kind: hymenoptera JPEGs of several sizes, animals10 224x224 crops and large photos.</summary>
    private static List<string> SomePhotos()
    {
        var hym = PhotoSetLoader.Load(AnimalsData.Hymenoptera).Photos;
        var a10 = PhotoSetLoader.Load(AnimalsData.Animals10).Photos;
        return hym.Where((_, i) => i % 100 == 7).Select(p => p.Path)
            .Concat(a10.Where(p => p.Width == 224 && p.Height == 224).Take(2).Select(p => p.Path))
            .Concat(a10.Where(p => p.Width >= 1000).Take(2).Select(p => p.Path)).ToList();
    }

    [TestMethod]
    [TestCategory("slow")]
    public void BatchedFeaturesEqualTheMlNetPipelines()
    {
        var paths = SomePhotos();
        using var backbone = new OnnxBackbone(new BackboneOptions { Threads = 2, BatchSize = 3 });
        var (fast, stats) = Featurizer.Run(paths, backbone, cache: null);
        Assert.AreEqual(paths.Count, stats.Computed);
        Assert.AreEqual(0, stats.Failed.Count);

        // The saved pipeline, given each photo as ImageClassifier gives it (decoded within the image limits, onto white).
        var ml = new MLContext();
        var definition = MLPipelines.Core.Models.ImageColumn.SchemaFor<MLPipelines.Core.Models.ImageInput>(ResNet18Files.ImageSize, ResNet18Files.ImageSize);
        var decoded = paths.Select(p =>
        {
            using var bitmap = MLPipelines.Core.Imaging.ImageDecoder.Decode(p);
            return new MLPipelines.Core.Models.ImageInput { Image = MLPipelines.Core.Imaging.MLImages.From(bitmap) };
        }).ToList();
        var pipeline = BackbonePipeline.Fit(ml, new BackboneOptions { Threads = 2 });
        var slow = pipeline.Transform(ml.Data.LoadFromEnumerable(decoded, definition)).GetColumn<float[]>(BackbonePipeline.FeaturesColumn).ToList();
        // ML.NET alone (LoadImages from the file) sees the same photo whenever it is within the decoding size.
        var rows = ml.Data.LoadFromEnumerable(paths.Select(p => new FileRow { ImagePath = p }));
        var loaded = ml.Transforms.LoadImages(BackbonePipeline.Image, "", nameof(FileRow.ImagePath)).Fit(rows).Transform(rows);
        var alone = pipeline.Transform(loaded).GetColumn<float[]>(BackbonePipeline.FeaturesColumn).ToList();
        int large = 0;
        for (int i = 0; i < paths.Count; i++)
        {
            Assert.AreEqual(ResNet18Files.FeatureCount, fast[i]!.Length);
            double diff = fast[i]!.Zip(slow[i]).Max(z => Math.Abs(z.First - z.Second));
            Assert.IsTrue(diff < 1e-3, $"{paths[i]}: features differ by {diff}");
            Assert.IsTrue(slow[i].Max() > 0.1, "real features, not zeros");
            var header = MLPipelines.Core.Imaging.ImageHeader.Read(paths[i])!;
            if (header.Pixels > MLPipelines.Core.Imaging.ImageLimits.DefaultDecodePixels) { large++; continue; }
            double mlnet = fast[i]!.Zip(alone[i]).Max(z => Math.Abs(z.First - z.Second));
            Assert.IsTrue(mlnet < 1e-3, $"{paths[i]}: ML.NET's LoadImages differs by {mlnet}");
        }
        Assert.IsGreaterThan(0, large, "large photos are among those compared");
        foreach (var row in decoded) row.Image?.Dispose();
    }

    [TestMethod]
    public void CacheServesTheSecondRunAndViewsAreCachedApart()
    {
        using var dir = new TempDir();
        var paths = SomePhotos().Take(3).ToList();
        using var backbone = new OnnxBackbone(new BackboneOptions { Threads = 2, BatchSize = 2 });
        var cache = FeatureCache.Open(dir.Path, AnimalsData.Root);
        var (first, s1) = Featurizer.Run(paths, backbone, cache);
        Assert.AreEqual(3, s1.Computed);
        Assert.IsTrue(File.Exists(cache.FilePath));

        var reopened = FeatureCache.Open(dir.Path, AnimalsData.Root);
        var (second, s2) = Featurizer.Run(paths, backbone, reopened);
        Assert.AreEqual(3, s2.FromCache);
        Assert.AreEqual(0, s2.Computed);
        for (int i = 0; i < 3; i++) CollectionAssert.AreEqual(first[i], second[i]);

        var (mirrored, s3) = Featurizer.Run(paths, backbone, reopened, view: new ImageView(true));
        Assert.AreEqual(3, s3.Computed, "a mirrored view is not the plain one");
        Assert.IsTrue(first[0]!.Zip(mirrored[0]!).Max(z => Math.Abs(z.First - z.Second)) > 1e-3);
        Assert.AreEqual(6, FeatureCache.Open(dir.Path, AnimalsData.Root).Count);
    }

    [TestMethod]
    public void UndecodableFilesAreReportedNotFatal()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("truncated.jpg"), File.ReadAllBytes(SomePhotos()[0]).Take(200).ToArray());
        File.WriteAllText(dir.File("text.jpg"), "hello");
        var paths = new List<string> { SomePhotos()[0], dir.File("text.jpg") };
        using var backbone = new OnnxBackbone(new BackboneOptions { Threads = 2 });
        var (features, stats) = Featurizer.Run(paths, backbone, cache: null);
        Assert.IsNotNull(features[0]);
        Assert.IsNull(features[1]);
        Assert.AreEqual(dir.File("text.jpg"), stats.Failed.Single().Path);
    }

    [TestMethod]
    public void CancellationStopsAndKeepsWhatWasComputed()
    {
        using var dir = new TempDir();
        var paths = SomePhotos().Take(4).ToList();
        using var backbone = new OnnxBackbone(new BackboneOptions { Threads = 2, BatchSize = 1 });
        var cache = FeatureCache.Open(dir.Path, AnimalsData.Root);
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsExactly<OperationCanceledException>(() => Featurizer.Run(paths, backbone, cache, (done, _) => { if (done >= 1) cancel.Cancel(); }, cancel.Token));
        int kept = FeatureCache.Open(dir.Path, AnimalsData.Root).Count;
        Assert.IsTrue(kept is >= 1 and < 4, $"{kept} features kept");
    }

    [TestMethod]
    public void GpuRequestFallsBackToTheCpuSayingWhy()
    {
        using var backbone = new OnnxBackbone(new BackboneOptions { Threads = 1, GpuDeviceId = 0 });
        if (backbone.GpuFallbackReason is null) Assert.Inconclusive($"this machine runs ONNX on {backbone.Device}");
        StringAssert.StartsWith(backbone.Device, "CPU");
        StringAssert.Contains(backbone.GpuFallbackReason, "running on the CPU");
    }

    private sealed class FileRow
    {
        public string ImagePath { get; set; } = "";
    }
}
