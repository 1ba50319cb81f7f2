namespace MLPipelines.Animals.Data;

/// <summary>
/// Finds a photo set from what the user typed: a folder path, or the name of a set under the data folder
/// (<c>&lt;data&gt;/animals/&lt;name&gt;</c> or <c>&lt;data&gt;/&lt;name&gt;</c>), e.g. hymenoptera or animals10.
/// </summary>
public static class PhotoSetLocator
{
    public static string Resolve(string nameOrPath, string dataRoot)
    {
        if (Directory.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        foreach (string candidate in new[] { Path.Combine(dataRoot, "animals", nameOrPath), Path.Combine(dataRoot, nameOrPath) })
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        string animals = Path.Combine(dataRoot, "animals");
        var known = Directory.Exists(animals) ? Directory.GetDirectories(animals).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
        throw new DirectoryNotFoundException(
            $"photo set '{nameOrPath}' not found (not a folder, nor in {animals}" + (known.Count > 0 ? $"; there: {string.Join(", ", known)})" : ")"));
    }
}
