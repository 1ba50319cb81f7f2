namespace MLPipelines.Data;

/// <summary>
/// Where the data lives: <c>--data DIR</c>, else the <c>MLP_DATA</c> environment variable, else the
/// git-ignored <c>data/</c> folder of the project (found from the working directory upwards), else
/// <c>./data</c>. A data set lives in a sub-folder named after it (<c>mnist/</c>), or directly in the
/// folder given when its files are there.
/// </summary>
public sealed record DataLocation(string Root, string Source)
{
    public const string EnvironmentVariable = "MLP_DATA";

    /// <summary>The data root. A path that names a file is an error (<see cref="Datasets.DatasetException"/>): nothing is downloaded into it.</summary>
    public static DataLocation Resolve(string? option, string? workingDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(option)) return Checked(new DataLocation(Path.GetFullPath(option), "--data"));
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return Checked(new DataLocation(Path.GetFullPath(env), EnvironmentVariable));
        string start = workingDirectory ?? Directory.GetCurrentDirectory();
        string? repo = ProjectRoot.Find(start);
        return repo is not null
            ? new DataLocation(Path.Combine(repo, "data"), "default (project data/ folder)")
            : new DataLocation(Path.Combine(start, "data"), "default (./data)");
    }

    private static DataLocation Checked(DataLocation location) =>
        File.Exists(location.Root)
            ? throw new Datasets.DatasetException($"the data folder {location.Root} (from {location.Source}) is a file, not a folder")
            : location;

    /// <summary>The folder of a data set: Root itself when it already holds the files, else Root/name.</summary>
    public string FolderFor(string folderName, Func<string, bool> holdsData) =>
        holdsData(Root) ? Root : Path.Combine(Root, folderName);
}
