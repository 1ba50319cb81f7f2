namespace MLPipelines.Animals.Data;

public enum Split { Train, Validation, Test }

/// <summary>One photo: its file, class, source (file-name prefix, for sets gathered from several) and size.</summary>
public sealed record Photo(string Path, int Label, string Source, int Width, int Height)
{
    /// <summary>The split the data set's own folders give it (train/ val/ test/), or null when it has none.</summary>
    public Split? GivenSplit { get; init; }
}

/// <summary>A file that is in a class folder but is not used, and why.</summary>
public sealed record SkippedFile(string Path, string Reason);

/// <summary>How the folders of a photo set are laid out.</summary>
public enum PhotoSetLayout
{
    /// <summary><c>&lt;class&gt;/*.jpg</c></summary>
    FolderPerClass,
    /// <summary><c>train/&lt;class&gt;/</c>, <c>val/&lt;class&gt;/</c> and maybe <c>test/&lt;class&gt;/</c>: an existing split, used as is.</summary>
    GivenSplit,
    /// <summary>Kaggle's Animals-10: <c>raw-img/&lt;Italian name&gt;/</c>.</summary>
    Animals10,
}

/// <summary>A folder-per-class photo set, screened: the photos, their classes, and the files left out.</summary>
public sealed class PhotoSet
{
    public required string Name { get; init; }
    public required string Root { get; init; }
    public required PhotoSetLayout Layout { get; init; }
    /// <summary>Class names as shown (English for Animals-10), in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>The folder name of each class, in label order.</summary>
    public required IReadOnlyList<string> ClassFolders { get; init; }
    public required IReadOnlyList<Photo> Photos { get; init; }
    public required IReadOnlyList<SkippedFile> Skipped { get; init; }

    public bool HasGivenSplit => Photos.Count > 0 && Photos.All(p => p.GivenSplit is not null);

    public int[] CountPerClass()
    {
        var counts = new int[ClassNames.Count];
        foreach (var p in Photos) counts[p.Label]++;
        return counts;
    }

    /// <summary>Sources (file-name prefixes) that more than one photo shares; empty when the names show none.</summary>
    public IReadOnlyList<string> Sources() =>
        Photos.GroupBy(p => p.Source).Where(g => g.Key.Length > 0 && g.Count() > 1).Select(g => g.Key).OrderBy(s => s, StringComparer.Ordinal).ToList();
}
