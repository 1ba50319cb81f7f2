namespace MLPipelines.Data;

/// <summary>Finds the project's root folder (the one holding MLPipelines.sln) from a folder inside it.</summary>
public static class ProjectRoot
{
    public const string Marker = "MLPipelines.sln";

    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
        return null;
    }

    /// <summary>The project root from the working directory, else from the program's own folder, else the working directory.</summary>
    public static string FindOrCurrent() =>
        Find(Directory.GetCurrentDirectory()) ?? Find(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
}
