namespace MLPipelines.Animals.Data;

/// <summary>
/// Reads a folder-per-class photo set from disk in any of the layouts of <see cref="PhotoSetLayout"/>. Every
/// file in a class folder is checked (<see cref="ImageSniffer"/>): photos are kept, everything else is listed
/// in <see cref="PhotoSet.Skipped"/> with the reason. Hidden files and files beside the class folders are ignored.
/// </summary>
public static class PhotoSetLoader
{
    private static readonly string[] TrainNames = ["train", "training"];
    private static readonly string[] ValidationNames = ["val", "valid", "validation"];
    private static readonly string[] TestNames = ["test", "testing"];

    public static PhotoSet Load(string root, string? name = null)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"photo set folder not found: {root}");
        name ??= Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));

        string rawImg = Path.Combine(root, "raw-img");
        if (Directory.Exists(rawImg))
            return FromFolders(name, root, PhotoSetLayout.Animals10, [(rawImg, null)]);

        var splits = new List<(string Folder, Split? Split)>();
        foreach (var (names, split) in new[] { (TrainNames, Split.Train), (ValidationNames, Split.Validation), (TestNames, Split.Test) })
        {
            string? folder = names.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
            if (folder is not null) splits.Add((folder, split));
        }
        if (splits.Any(s => s.Split == Split.Train) && splits.Count >= 2)
            return FromFolders(name, root, PhotoSetLayout.GivenSplit, splits);
        return FromFolders(name, root, PhotoSetLayout.FolderPerClass, [(root, null)]);
    }

    private static PhotoSet FromFolders(string name, string root, PhotoSetLayout layout, IReadOnlyList<(string Folder, Split? Split)> parts)
    {
        // Classes are the union of the class folders of every part, in ordinal order (stable labels).
        var folders = parts.SelectMany(p => ClassFolders(p.Folder)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (folders.Count < 2)
            throw new InvalidDataException($"{root} is not a folder-per-class photo set: it needs at least two class folders (found {folders.Count})");
        var label = folders.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);

        var photos = new List<Photo>();
        var skipped = new List<SkippedFile>();
        foreach (var (folder, split) in parts)
        {
            foreach (string classFolder in ClassFolders(folder))
            {
                var files = Directory.EnumerateFiles(Path.Combine(folder, classFolder), "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal);
                foreach (string file in files)
                {
                    var sniff = ImageSniffer.Sniff(file);
                    if (!sniff.IsPhoto)
                    {
                        skipped.Add(new SkippedFile(file, sniff.Reason!));
                        continue;
                    }
                    photos.Add(new Photo(file, label[classFolder], SourceOf(file), sniff.Width, sniff.Height) { GivenSplit = split });
                }
            }
        }
        var names = Animals10Names.Translate(folders);
        return new PhotoSet
        {
            Name = name, Root = root, Layout = layout, ClassFolders = folders, ClassNames = names, Photos = photos, Skipped = skipped,
        };
    }

    private static IEnumerable<string> ClassFolders(string folder) =>
        Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Where(n => n is { Length: > 0 } && !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)!;

    /// <summary>
    /// The source a file came from, when its name says: the prefix before the first '_' (animals10's
    /// <c>a90_</c>, <c>cdf_</c>, ...). A long or all-digit prefix is a name or a number, not a source tag, and gives "".
    /// </summary>
    public static string SourceOf(string path)
    {
        string file = Path.GetFileNameWithoutExtension(path);
        int cut = file.IndexOf('_');
        return cut is > 0 and <= 8 && file[..cut].All(char.IsLetterOrDigit) && file[..cut].Any(char.IsLetter) ? file[..cut].ToLowerInvariant() : "";
    }
}
