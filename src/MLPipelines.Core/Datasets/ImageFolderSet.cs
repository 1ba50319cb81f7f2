using MLPipelines.Core.Imaging;
namespace MLPipelines.Core.Datasets;

/// <summary>One image of a folder-per-class set: its file and its class index.</summary>
public sealed record ImageFolderFile(string Path, int Label)
{
    /// <summary>The file's name before its first '_' or '-' (setA_alpha_001.png → setA): who drew it, in the shared test set.</summary>
    public string Style
    {
        get
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(Path);
            int cut = name.IndexOfAny(['_', '-']);
            return cut > 0 ? name[..cut] : "(none)";
        }
    }
}

/// <summary>A folder, or a file in it, that cannot make a labelled image set.</summary>
public sealed class ImageFolderException(string message) : Exception(message);

/// <summary>
/// A folder-per-class image set (ROOT/alpha/*.png, ROOT/beta/*.png, ...): any class names, any number of
/// classes (at least two). Classes are in ordinal name order, as torchvision's ImageFolder has them. Files
/// are told apart by their first bytes, never their extension: the rest (notes, .DS_Store) are skipped with
/// a warning. A missing or unreadable folder and a class without images are errors.
/// </summary>
public sealed class ImageFolderSet
{
    private ImageFolderSet(string root, IReadOnlyList<string> classes, IReadOnlyList<ImageFolderFile> files, IReadOnlyList<string> warnings)
    {
        Root = root;
        ClassNames = classes;
        Files = files;
        Warnings = warnings;
    }

    public string Root { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<ImageFolderFile> Files { get; }
    /// <summary>One line per thing skipped.</summary>
    public IReadOnlyList<string> Warnings { get; }
    public int Count => Files.Count;

    /// <summary>The files at <paramref name="indices"/> (in that order), with the same classes.</summary>
    public ImageFolderSet Subset(IEnumerable<int> indices) => new(Root, ClassNames, indices.Select(i => Files[i]).ToList(), []);

    /// <summary>
    /// A stratified split: of each class, <paramref name="fraction"/> of its files (at least one when it has two or more)
    /// go to the second part, drawn with <paramref name="seed"/>; both parts keep the files' order.
    /// </summary>
    public (IReadOnlyList<int> Kept, IReadOnlyList<int> HeldOut) StratifiedSplit(double fraction, long seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentException($"the held-out fraction must be between 0 and 1 (got {fraction})");
        var random = new Random(unchecked((int)seed));
        var heldOut = new HashSet<int>();
        foreach (var group in Files.Select((f, i) => (f.Label, i)).GroupBy(x => x.Label))
        {
            var members = group.Select(x => x.i).ToArray();
            random.Shuffle(members);
            int n = members.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(fraction * members.Length));
            heldOut.UnionWith(members.Take(n));
        }
        var all = Enumerable.Range(0, Files.Count).ToList();
        return (all.Where(i => !heldOut.Contains(i)).ToList(), all.Where(heldOut.Contains).ToList());
    }

    /// <summary>
    /// Reads the folder. With <paramref name="classes"/> (a trained model's), the labels follow that order and every
    /// class folder must be one of them (a test set may lack some). <paramref name="warn"/> hears each thing
    /// skipped as it is found, also when the scan then fails. An image over <paramref name="limits"/>' pixels (by its
    /// header) is skipped too.
    /// </summary>
    public static ImageFolderSet Scan(string root, IReadOnlyList<string>? classes = null, Action<string>? warn = null, ImageLimits? limits = null)
    {
        root = System.IO.Path.GetFullPath(root);
        if (!Directory.Exists(root))
            throw new ImageFolderException(File.Exists(root) ? $"{root} is a file, not a folder of class folders" : $"image folder not found: {root}");
        var warnings = new List<string>();
        void Warn(string warning)
        {
            warnings.Add(warning);
            warn?.Invoke(warning);
        }

        var folders = Read(root, () => Directory.GetDirectories(root))
            .Where(d => !System.IO.Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => System.IO.Path.GetFileName(d), StringComparer.Ordinal)
            .ToList();
        foreach (string stray in Read(root, () => Directory.GetFiles(root)))
            Warn($"skipped {stray}: not in a class folder");
        if (folders.Count == 0)
            throw new ImageFolderException($"{root} has no class folders (expected one folder per class, e.g. alpha/ beta/ gamma/)");

        var names = folders.Select(d => System.IO.Path.GetFileName(d)).ToList();
        IReadOnlyList<string> order;
        if (classes is null)
        {
            if (names.Count < 2) throw new ImageFolderException($"{root} has only one class folder ({names[0]}); a classifier needs at least two");
            order = names;
        }
        else
        {
            var unknown = names.Where(n => !classes.Contains(n)).ToList();
            if (unknown.Count > 0)
                throw new ImageFolderException($"{root}: class folder(s) {string.Join(", ", unknown)} are not among the model's classes ({string.Join(", ", classes)})");
            order = classes;
        }

        var files = new List<ImageFolderFile>();
        foreach (string folder in folders)
        {
            int label = IndexOf(order, System.IO.Path.GetFileName(folder));
            int before = files.Count;
            foreach (string file in Read(folder, () => Directory.GetFiles(folder)).Order(StringComparer.Ordinal))
            {
                string? why = WhyNotAnImage(file, limits);
                if (why is null) files.Add(new ImageFolderFile(file, label));
                else Warn($"skipped {file}: {why}");
            }
            foreach (string sub in Read(folder, () => Directory.GetDirectories(folder)))
                Warn($"skipped {sub}: folders inside a class folder are not read");
            if (files.Count == before) throw new ImageFolderException($"class '{order[label]}' has no images ({folder})");
        }
        return new ImageFolderSet(root, order, files, warnings);
    }

    /// <summary>
    /// Null for a file whose first bytes are those of an image format SkiaSharp decodes, within
    /// <paramref name="limits"/> (its size read from the header); else why it is skipped.
    /// </summary>
    public static string? WhyNotAnImage(string path, ImageLimits? limits = null)
    {
        try
        {
            return ImageFiles.Inspect(path, limits).Problem;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFolderException($"cannot read {path}: {e.Message}");
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string name)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == name) return i;
        throw new InvalidOperationException($"class {name} not in the class list");
    }

    private static string[] Read(string folder, Func<string[]> list)
    {
        try
        {
            return list();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFolderException($"cannot read folder {folder}: {e.Message}");
        }
    }
}
