using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MLPipelines.Data.IO;

namespace MLPipelines.Animals.Features.Quantization;

/// <summary>An INT8 network ready to run, and whether it was made now or found in the cache.</summary>
public sealed record Int8BackboneResult(BackboneNetwork Network, int CalibrationImages, bool FromCache, double Seconds);

/// <summary>
/// The INT8 ResNet18 for a set of training photos: quantized by <see cref="Int8Quantizer"/> and kept in the feature cache
/// folder, named by what it was calibrated on (the photos' paths, lengths and times, the options), so a second run on
/// the same photos reuses it, and with it the features cached for it.
/// </summary>
public static class Int8Backbone
{
    public static Int8BackboneResult Prepare(string cacheFolder, IReadOnlyList<string> trainingPhotos, QuantizationOptions options,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var chosen = FeaturizationBenchmark.Spread(trainingPhotos, options.CalibrationImages);
        string path = Path.Combine(cacheFolder, $"resnet18-int8-{Key(chosen, options)}.onnx");
        string countPath = path + ".images";
        if (File.Exists(path) && File.Exists(countPath) && int.TryParse(File.ReadAllText(countPath), out int cachedCount))
            return new Int8BackboneResult(Network(path, File.ReadAllBytes(path)), cachedCount, true, clock.Elapsed.TotalSeconds);
        var q = Int8Quantizer.Quantize(File.ReadAllBytes(ResNet18Files.NetModel), chosen, options with { CalibrationImages = chosen.Count }, progress, cancel);
        Directory.CreateDirectory(cacheFolder);
        AtomicFile.WriteAllBytes(path, q.Model);
        AtomicFile.WriteAllText(countPath, q.CalibrationImages.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Int8BackboneResult(new BackboneNetwork(path, BackbonePrecision.Int8, q.Id), q.CalibrationImages, false, clock.Elapsed.TotalSeconds);
    }

    private static BackboneNetwork Network(string path, byte[] bytes) => new(path, BackbonePrecision.Int8, Int8Quantizer.IdOf(bytes));

    private static string Key(IReadOnlyList<string> photos, QuantizationOptions options)
    {
        var text = new StringBuilder($"{ResNet18Files.BackboneId}\nquantizer v1\nreduce {options.ReduceRange}\n");
        foreach (string p in photos)
        {
            var info = new FileInfo(p);
            text.Append(Path.GetFullPath(p)).Append('\t').Append(info.Exists ? info.Length : -1).Append('\t').Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0).Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }
}
