using MLPipelines.Data;

namespace MLPipelines.Animals.Tests.Support;

/// <summary>
/// The shared animal photos ($MLP_DATA/animals, else ../shared/data/animals); tests that need them are
/// inconclusive when absent (CI always has them). Small subsets are made of symbolic links in a temp folder.
/// </summary>
public static class AnimalsData
{
    public static string Root
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable(DataLocation.EnvironmentVariable);
            string? project = ProjectRoot.Find(AppContext.BaseDirectory);
            foreach (string? candidate in new[] { env is { Length: > 0 } ? Path.Combine(env, "animals") : null, project is null ? null : Path.Combine(project, "..", "shared", "data", "animals") })
                if (candidate is not null && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            Assert.Inconclusive("animal photos not found: set MLP_DATA or provide ../shared/data/animals");
            return "";
        }
    }

    public static string Hymenoptera => Path.Combine(Root, "hymenoptera");
    public static string Animals10 => Path.Combine(Root, "animals10");

    /// <summary>
    /// A copy (links) of hymenoptera with the first <paramref name="train"/> and <paramref name="val"/> photos of each
    /// class, its imageNotFound.gif, and whatever <paramref name="extra"/> adds.
    /// </summary>
    public static void LinkHymenopteraSubset(string target, int train, int val)
    {
        foreach (var (split, count) in new[] { ("train", train), ("val", val) })
            foreach (string cls in new[] { "ants", "bees" })
            {
                string dir = Path.Combine(target, split, cls);
                Directory.CreateDirectory(dir);
                foreach (string file in Directory.GetFiles(Path.Combine(Hymenoptera, split, cls), "*.jpg").Order(StringComparer.Ordinal).Take(count))
                    File.CreateSymbolicLink(Path.Combine(dir, Path.GetFileName(file)), file);
            }
        File.CreateSymbolicLink(Path.Combine(target, "train", "ants", "imageNotFound.gif"), Path.Combine(Hymenoptera, "train", "ants", "imageNotFound.gif"));
    }
}
