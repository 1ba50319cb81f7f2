using MLPipelines.Core.Runs;

namespace MLPipelines.Sweeps.Storage;

/// <summary>
/// Where studies live by default: each in its own folder, runs/sweeps/&lt;name&gt;, with its SQLite study.db, its
/// report/ and its workers' logs. Opens a study's storage as the sweep commands do.
/// </summary>
public static class StudyFolders
{
    public const string DefaultStudy = "digits";

    /// <summary>runs/sweeps/&lt;study&gt;, or <paramref name="folder"/> when one is given; absolute.</summary>
    public static string Of(string study, string? folder = null) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(folder) ? Path.Combine(RunFolder.DefaultRoot, "sweeps", study) : folder);

    /// <summary>The storage <paramref name="storage"/> names (<see cref="StudyStorage.Open"/>), by default the study folder's study.db.</summary>
    public static IStudyStorage Open(string? storage, string study, string? folder = null, bool readOnly = false) =>
        StudyStorage.Open(storage, Path.Combine(Of(study, folder), "study.db"), readOnly);

    /// <summary>
    /// The storage of an existing study, opened read-only (what only looks changes nothing); an unknown study is a
    /// <see cref="StorageException"/> that lists the studies there are.
    /// </summary>
    public static IStudyStorage OpenExisting(string? storage, string study, string? folder = null)
    {
        string db = Path.Combine(Of(study, folder), "study.db");
        if (string.IsNullOrWhiteSpace(storage) && !File.Exists(db))
            throw new StorageException($"no study named '{study}': {db} does not exist; {LocalStudiesText()}");
        var store = Open(storage, study, folder, readOnly: true);
        try
        {
            if (store.Find(study) is not null) return store;
            var names = store.Studies();
            throw new StorageException($"no study named '{study}' in {store.Description}; " +
                                       (names.Count == 0 ? "it holds no study" : $"its studies: {string.Join(", ", names)}"));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The local SQLite studies (runs/sweeps/&lt;name&gt;/study.db): name and file.</summary>
    public static IReadOnlyList<(string Name, string Path)> LocalStudies()
    {
        string root = Path.Combine(RunFolder.DefaultRoot, "sweeps");
        if (!Directory.Exists(root)) return [];
        return Directory.GetFiles(root, "study.db", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(db => (Path.GetFileName(Path.GetDirectoryName(db))!, db)).ToList();
    }

    /// <summary>How another process opens the same storage: a SQLite path made absolute, else the spec as given.</summary>
    public static string SpecFor(IStudyStorage storage, string? spec) =>
        storage is SqliteStudyStorage sqlite ? sqlite.Path : spec!;

    private static string LocalStudiesText()
    {
        string root = Path.Combine(RunFolder.DefaultRoot, "sweeps");
        var local = LocalStudies();
        return local.Count == 0 ? $"there are no studies under {root}"
            : $"the studies under {root}: {string.Join(", ", local.Select(s => s.Name))} (or give --out DIR or --storage)";
    }
}
