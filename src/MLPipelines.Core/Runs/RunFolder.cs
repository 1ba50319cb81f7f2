using System.Globalization;
using System.Text.Json;
using MLPipelines.Data;
using MLPipelines.Data.IO;

namespace MLPipelines.Core.Runs;

/// <summary>
/// The folder one command's output goes to: runs/&lt;yyyyMMdd-HHmmss&gt;-&lt;name&gt;, never an earlier run's
/// (a suffix is added when the name is taken). Holds options, metrics, curves, checkpoints and the log.
/// </summary>
public sealed class RunFolder
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static readonly List<RunFolder> CreatedHere = [];
    // What a run writes before it has done any work: not worth keeping when the command then fails.
    private static readonly HashSet<string> Preamble = ["options.json", "log.txt", "summary.txt"];

    private RunFolder(string path) => Path = path;

    public string Path { get; }

    public static string DefaultRoot => System.IO.Path.Combine(ProjectRoot.FindOrCurrent(), "runs");

    public static RunFolder Create(string? root, string name)
    {
        root = string.IsNullOrWhiteSpace(root) ? DefaultRoot : root;
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (int n = 1; ; n++)
        {
            string path = System.IO.Path.Combine(root, n == 1 ? $"{stamp}-{name}" : $"{stamp}-{name}-{n}");
            if (Directory.Exists(path)) continue;
            Directory.CreateDirectory(path);
            var run = new RunFolder(path);
            lock (CreatedHere) CreatedHere.Add(run);
            return run;
        }
    }

    /// <summary>An existing run folder (for --resume and reports).</summary>
    public static RunFolder Open(string path)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"run folder not found: {path}");
        return new RunFolder(System.IO.Path.GetFullPath(path));
    }

    /// <summary>A stage's folder inside this run (mlp all: RUN/digits, RUN/greek, ...), created when missing.</summary>
    public RunFolder Child(string name)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return new RunFolder(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Folder(string name)
    {
        string dir = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public void WriteJson<T>(string name, T value) => AtomicFile.WriteAllText(File(name), JsonSerializer.Serialize(value, Json));

    public void WriteText(string name, string text) => AtomicFile.WriteAllText(File(name), text);

    public void Log(string line) =>
        System.IO.File.AppendAllText(File("log.txt"), $"{DateTime.Now:yyyy-MM-dd HH:mm:ss} {line}\n");

    /// <summary>
    /// After a command failed: removes the run folders it created that hold nothing but their preamble
    /// (options, log, summary), so failed attempts do not litter runs/. Folders with results stay.
    /// </summary>
    public static void DiscardEmptyRuns()
    {
        lock (CreatedHere)
        {
            foreach (var run in CreatedHere)
            {
                if (!Directory.Exists(run.Path)) continue;
                bool hasResults = Directory.EnumerateFiles(run.Path, "*", SearchOption.AllDirectories)
                    .Any(f => !Preamble.Contains(System.IO.Path.GetFileName(f)) || System.IO.Path.GetDirectoryName(f) != run.Path);
                if (!hasResults) Directory.Delete(run.Path, recursive: true);
            }
        }
    }

    public override string ToString() => Path;
}
