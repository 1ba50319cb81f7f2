using System.Security.Cryptography;
using MLPipelines.Data.Idx;

namespace MLPipelines.Data.Datasets;

/// <summary>
/// Finds, verifies and loads the files of an MNIST-layout data set from a folder.
/// A file may be raw or .gz; the folder may be the data set's own folder or a torchvision-style
/// <c>raw/</c> folder beneath it.
/// </summary>
public static class IdxDatasetLoader
{
    public static LabeledImages Load(IdxDatasetSpec spec, string folder, DataSplit split)
    {
        var (imagesSpec, labelsSpec) = spec.Split(split);
        IdxArray images = ReadVerified(imagesSpec, folder);
        IdxArray labels = ReadVerified(labelsSpec, folder);

        if (images.Shape.Length != 3)
            throw new IdxFormatException($"{imagesSpec.Name}: images must have 3 dimensions (count, rows, columns), found {images.Shape.Length}");
        if (labels.Shape.Length != 1)
            throw new IdxFormatException($"{labelsSpec.Name}: labels must have 1 dimension, found {labels.Shape.Length}");
        if (images.Count != labels.Count)
            throw new IdxFormatException($"{imagesSpec.Name} has {images.Count:N0} images but {labelsSpec.Name} has {labels.Count:N0} labels");
        int classes = spec.ClassNames.Count;
        int bad = Array.FindIndex(labels.Data, l => l >= classes);
        if (bad >= 0)
            throw new IdxFormatException($"{labelsSpec.Name}: label {labels.Data[bad]} at index {bad} is not one of the {classes} classes");

        return new LabeledImages(images.Data, labels.Data, images.Shape[1], images.Shape[2], spec.ClassNames);
    }

    /// <summary>Where the file is in the folder (raw first, then .gz; also under raw/), or null.</summary>
    public static string? Find(IdxFileSpec file, string folder)
    {
        foreach (string dir in new[] { folder, Path.Combine(folder, "raw") })
        foreach (string name in new[] { file.Name, file.GzipName })
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Checks each file of the data set: present, a well-formed IDX file, checksum where one is known.</summary>
    public static IReadOnlyList<DataFileStatus> Check(IdxDatasetSpec spec, string folder) =>
        spec.Files.Select(f => CheckFile(f, folder)).ToList();

    public static bool IsComplete(IdxDatasetSpec spec, string folder) => Check(spec, folder).All(s => s.Ok);

    static DataFileStatus CheckFile(IdxFileSpec spec, string folder)
    {
        string? path = Find(spec, folder);
        if (path is null) return new DataFileStatus(spec, null, ChecksumResult.Unknown, "missing", null);
        try
        {
            IdxArray array = IdxReader.Read(path);
            ChecksumResult checksum = Verify(spec, path, array);
            string? error = checksum != ChecksumResult.Mismatch ? null
                : spec.ShapeMatches(array.Shape) ? "checksum mismatch"
                : $"shape {string.Join('x', array.Shape)}, expected {string.Join('x', spec.Shape!)}";
            return new DataFileStatus(spec, path, checksum, error, array.Shape);
        }
        catch (Exception e) when (e is IdxFormatException or IOException or UnauthorizedAccessException)
        {
            return new DataFileStatus(spec, path, ChecksumResult.Unknown, e.Message, null);
        }
    }

    static IdxArray ReadVerified(IdxFileSpec spec, string folder)
    {
        string path = Find(spec, folder)
            ?? throw new FileNotFoundException($"{spec.Name}(.gz) not found in {folder}; run 'mlp data' to fetch it or pass --data DIR");
        IdxArray array = IdxReader.Read(path);
        if (Verify(spec, path, array) == ChecksumResult.Mismatch)
            throw new IdxFormatException($"{path}: checksum mismatch: the file is corrupt or not the expected data set (it is kept as it is; 'mlp data --repair' moves it aside and downloads a verified copy)");
        return array;
    }

    /// <summary>
    /// SHA-256 of the content when known (so a recompressed copy of the same data verifies). Else the MD5 of the .gz as
    /// the mirrors serve it: a copy that is not that .gz but parses as IDX of the expected shape is
    /// <see cref="ChecksumResult.Unverified"/> (usable, with a warning), never a reason to replace it.
    /// </summary>
    public static ChecksumResult Verify(IdxFileSpec spec, string path, IdxArray content)
    {
        if (spec.Sha256 is not null)
            return string.Equals(content.Sha256, spec.Sha256, StringComparison.OrdinalIgnoreCase) ? ChecksumResult.Verified : ChecksumResult.Mismatch;
        if (!spec.ShapeMatches(content.Shape)) return ChecksumResult.Mismatch;
        if (spec.GzipMd5 is null) return ChecksumResult.Unknown;
        if (path.EndsWith(".gz", StringComparison.Ordinal) && GzipMd5Matches(spec, path)) return ChecksumResult.Verified;
        return ChecksumResult.Unverified;
    }

    /// <summary>True when the file's bytes have the MD5 the mirrors' .gz has.</summary>
    public static bool GzipMd5Matches(IdxFileSpec spec, string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream)) == spec.GzipMd5;
    }
}
