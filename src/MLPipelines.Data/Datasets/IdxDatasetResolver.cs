using MLPipelines.Data.Idx;

namespace MLPipelines.Data.Datasets;

/// <summary>
/// Turns what a user gives as a data set into its spec: a name the project knows (<c>mnist</c>, <c>fashion-mnist</c>,
/// <c>kmnist</c>), or a folder holding the four standard IDX files (raw or .gz) of any MNIST-layout data set. A folder's
/// class names come from <c>classes</c>, else a <c>classes.txt</c> beside the files (one name a line), else 0..N-1 for
/// the N classes its labels use. Such a set has no checksums: it loads unverified.
/// </summary>
public static class IdxDatasetResolver
{
    public const string ClassesFile = "classes.txt";

    public static IdxDatasetSpec Resolve(string nameOrFolder, IReadOnlyList<string>? classes = null)
    {
        if (string.IsNullOrWhiteSpace(nameOrFolder)) throw new DatasetException("no data set given");
        if (KnownDatasets.Find(nameOrFolder) is { } known)
        {
            if (classes is { Count: > 0 })
                throw new DatasetException($"{known.Name} has its own class names; class names are for a data set given as a folder");
            return known;
        }
        string folder = Path.GetFullPath(nameOrFolder);
        if (File.Exists(folder)) throw new DatasetException($"the data set {folder} is a file, not a folder of IDX files");
        if (!Directory.Exists(folder))
            throw new DatasetException($"unknown data set '{nameOrFolder}': not one of {string.Join(", ", KnownDatasets.All.Select(d => d.Name))}, and no such folder");
        var probe = KnownDatasets.Custom(folder, []);
        var missing = probe.Files.Where(f => IdxDatasetLoader.Find(f, folder) is null).Select(f => f.Name + "(.gz)").ToList();
        if (missing.Count > 0)
            throw new DatasetException($"{folder} is not an IDX data set: {string.Join(", ", missing)} missing (it needs the four files of MNIST's layout)");
        int used = ClassesUsed(probe, folder);
        IReadOnlyList<string> names = classes is { Count: > 0 } ? Checked(classes, "--classes")
            : ReadClassesFile(folder) ?? Enumerable.Range(0, Math.Max(2, used)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (names.Count < used)
            throw new DatasetException($"{folder}: the labels use {used} classes but {names.Count} class names are given");
        return KnownDatasets.Custom(folder, names);
    }

    /// <summary>Comma-separated class names (<c>--classes a,b,c</c>), or null when none are given.</summary>
    public static IReadOnlyList<string>? ParseClassList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : Checked(text.Split(',', StringSplitOptions.TrimEntries), "--classes");

    private static IReadOnlyList<string>? ReadClassesFile(string folder)
    {
        string path = Path.Combine(folder, ClassesFile);
        if (!File.Exists(path)) return null;
        var info = new FileInfo(path);
        if (info.Length > 1 << 20) throw new DatasetException($"{path} is {info.Length:N0} bytes: too large for a list of class names");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return Checked(lines, path);
    }

    private static IReadOnlyList<string> Checked(IReadOnlyList<string> names, string source)
    {
        if (names.Any(n => n.Length == 0)) throw new DatasetException($"{source}: a class name is empty");
        if (names.Count < 2) throw new DatasetException($"{source}: at least two class names are needed (got {names.Count})");
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DatasetException($"{source}: the class name '{duplicate.Key}' appears twice");
        return names;
    }

    /// <summary>1 + the largest label in either label file.</summary>
    private static int ClassesUsed(IdxDatasetSpec spec, string folder)
    {
        int max = -1;
        foreach (var file in new[] { spec.TrainLabels, spec.TestLabels })
        {
            string path = IdxDatasetLoader.Find(file, folder)!;
            IdxArray labels;
            try
            {
                labels = IdxReader.Read(path);
            }
            catch (IdxFormatException e)
            {
                throw new DatasetException(e.Message);
            }
            if (labels.Shape.Length != 1) throw new DatasetException($"{path}: labels must have 1 dimension, found {labels.Shape.Length}");
            foreach (byte l in labels.Data) max = Math.Max(max, l);
        }
        return max + 1;
    }
}
