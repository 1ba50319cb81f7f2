namespace MLPipelines.Sweeps.Auto;

/// <summary>
/// Where an <c>mlp auto</c> data set's images are: the training class folders (train/, or the folder itself) and the
/// folder the final model is tested on (test/, else val/, valid/ or validation/ beside train/; none for a plain folder).
/// </summary>
public sealed record AutoFolders(string Root, string Train, string? Evaluation, string? EvaluationName)
{
    public static AutoFolders Find(string dataset)
    {
        string root = Path.GetFullPath(dataset);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset folder not found: {root}");
        string train = Path.Combine(root, "train");
        if (!Directory.Exists(train)) return new AutoFolders(root, root, null, null);
        if (Path.Combine(root, "test") is var test && Directory.Exists(test)) return new AutoFolders(root, train, test, "test");
        string? validation = new[] { "val", "valid", "validation" }.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
        return new AutoFolders(root, train, validation, validation is null ? null : "validation");
    }
}
