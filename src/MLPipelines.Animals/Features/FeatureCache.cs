using System.Security.Cryptography;
using System.Text;
using MLPipelines.Data.IO;

namespace MLPipelines.Animals.Features;

/// <summary>
/// Backbone features saved per image file, so that epochs, head comparisons and later runs never run the
/// backbone again on the same photo. An entry is reused only while the file keeps its length and modification
/// time, and only by the same backbone and preprocessing (<see cref="ResNet18Files.BackboneId"/>, part of the
/// cache file's name). The file is rewritten atomically, so Ctrl+C or a crash leaves the previous one intact.
/// </summary>
public sealed class FeatureCache
{
    private const string Magic = "MLPFEAT1";
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private FeatureCache(string path, int dim)
    {
        FilePath = path;
        Dimension = dim;
    }

    public string FilePath { get; }
    public int Dimension { get; }
    public int Count => entries.Count;
    public bool Dirty { get; private set; }

    /// <summary>The cache of one photo set folder in <paramref name="cacheFolder"/>, loaded when it exists.</summary>
    public static FeatureCache Open(string cacheFolder, string photoSetRoot, string backboneId = ResNet18Files.BackboneId, int dim = ResNet18Files.FeatureCount)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(backboneId + "\n" + Path.GetFullPath(photoSetRoot))))[..16].ToLowerInvariant();
        string name = new string(Path.GetFileName(Path.GetFullPath(photoSetRoot).TrimEnd('/')).Where(char.IsLetterOrDigit).ToArray());
        var cache = new FeatureCache(Path.Combine(cacheFolder, $"{name}-{key}.features"), dim);
        if (File.Exists(cache.FilePath)) cache.Read();
        return cache;
    }

    /// <param name="variant">The view of the photo (<see cref="ImageView.CacheVariant"/>); "" for the plain one.</param>
    public bool TryGet(string path, out float[] features, string variant = "")
    {
        features = [];
        if (!entries.TryGetValue(Key(path, variant), out var e)) return false;
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != e.Length || info.LastWriteTimeUtc.Ticks != e.Ticks) return false;
        features = e.Features;
        return true;
    }

    public void Put(string path, float[] features, string variant = "")
    {
        if (features.Length != Dimension) throw new ArgumentException($"expected {Dimension} features, got {features.Length}");
        var info = new FileInfo(path);
        entries[Key(path, variant)] = new Entry(info.Length, info.LastWriteTimeUtc.Ticks, features);
        Dirty = true;
    }

    public void Save()
    {
        if (!Dirty) return;
        AtomicFile.Write(FilePath, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(Dimension);
            w.Write(entries.Count);
            foreach (var (path, e) in entries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.Write(path);
                w.Write(e.Length);
                w.Write(e.Ticks);
                foreach (float f in e.Features) w.Write(f);
            }
        });
        Dirty = false;
    }

    private static string Key(string path, string variant) => variant.Length == 0 ? Path.GetFullPath(path) : $"{Path.GetFullPath(path)}#{variant}";

    private void Read()
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(FilePath), Encoding.UTF8);
            if (r.ReadString() != Magic || r.ReadInt32() != Dimension) return;
            int count = r.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string path = r.ReadString();
                long length = r.ReadInt64(), ticks = r.ReadInt64();
                var features = new float[Dimension];
                for (int j = 0; j < Dimension; j++) features[j] = r.ReadSingle();
                entries[path] = new Entry(length, ticks, features);
            }
        }
        catch (EndOfStreamException)
        {
            // A damaged cache is only a slower run: start afresh.
            entries.Clear();
        }
    }

    private sealed record Entry(long Length, long Ticks, float[] Features);
}
