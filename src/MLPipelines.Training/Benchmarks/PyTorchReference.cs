using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MLPipelines.Training.Benchmarks;

/// <summary>One epoch of the PyTorch reference, as its script timed it.</summary>
public sealed record PyTorchEpoch(string TorchVersion, int Threads, int Parameters, double TrainSeconds, int TrainImages, double InferenceSeconds, int TestImages, double TestAccuracy)
{
    public double TrainImagesPerSecond => TrainImages / TrainSeconds;
    public double InferenceImagesPerSecond => TestImages / InferenceSeconds;
}

/// <summary>The IDX files both trainers read.</summary>
public sealed record IdxFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels);

/// <summary>
/// The PyTorch reference the training speed is compared with: the digit network and recipe as a small PyTorch script
/// (pytorch_reference.py, embedded in this assembly), run by the machine's python3 with torch (Debian's python3-torch).
/// </summary>
public static class PyTorchReference
{
    public const string ScriptName = "pytorch_reference.py";

    /// <summary>The script's text.</summary>
    public static string Script()
    {
        using var stream = typeof(PyTorchReference).Assembly.GetManifestResourceStream(ScriptName)
            ?? throw new InvalidOperationException($"{ScriptName} is not embedded in {typeof(PyTorchReference).Assembly.GetName().Name}");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>
    /// The python with torch: <paramref name="python"/> when given, else python3 on the PATH or Debian's /usr/bin/python3
    /// (python3-torch installs into the system python, which a pyenv or venv python3 first on the PATH does not see).
    /// </summary>
    public static (string? Python, string? Version, string? Why) Find(string? python = null)
    {
        string? firstWhy = null;
        string[] candidates = python is null ? ["python3", "/usr/bin/python3"] : [python];
        foreach (string candidate in candidates)
        {
            var (version, why) = Probe(candidate);
            if (version is not null) return (candidate, version, null);
            firstWhy ??= why;
        }
        return (null, null, firstWhy);
    }

    /// <summary>torch's version under <paramref name="python"/>, or null with the reason when it has none.</summary>
    public static (string? Version, string? Why) Probe(string python = "python3")
    {
        try
        {
            var (code, output, error) = RunProcess(python, ["-c", "import torch; print(torch.__version__)"], TimeSpan.FromSeconds(60), default);
            return code == 0 ? (output.Trim(), null) : (null, $"{python} cannot import torch ({LastLine(error)}): install python3-torch");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, $"{python} not found: install python3 and python3-torch");
        }
    }

    /// <summary>Trains one epoch of the reference on <paramref name="files"/> with <paramref name="recipe"/>'s settings and times it.</summary>
    public static PyTorchEpoch RunEpoch(IdxFiles files, TrainingOptions recipe, int threads, double dropout, long seed, string python = "python3",
        CancellationToken cancel = default)
    {
        string script = Path.Combine(Path.GetTempPath(), $"mlp-{Environment.ProcessId}-{ScriptName}");
        File.WriteAllText(script, Script());
        try
        {
            var inv = CultureInfo.InvariantCulture;
            string[] args =
            [
                script, files.TrainImages, files.TrainLabels, files.TestImages, files.TestLabels, "--threads", threads.ToString(inv),
                "--batch", recipe.BatchSize.ToString(inv), "--test-batch", recipe.TestBatchSize.ToString(inv), "--lr", recipe.LearningRate.ToString("R", inv),
                "--momentum", recipe.Momentum.ToString("R", inv), "--dropout", dropout.ToString("R", inv), "--seed", seed.ToString(inv),
            ];
            var (code, output, error) = RunProcess(python, args, TimeSpan.FromMinutes(10), cancel);
            if (code != 0) throw new InvalidOperationException($"the PyTorch reference failed (exit {code}): {LastLine(error)}");
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var r = json.RootElement;
            return new PyTorchEpoch(r.GetProperty("torch").GetString()!, r.GetProperty("threads").GetInt32(), r.GetProperty("parameters").GetInt32(), r.GetProperty("train_seconds").GetDouble(),
                r.GetProperty("train_images").GetInt32(), r.GetProperty("inference_seconds").GetDouble(), r.GetProperty("test_images").GetInt32(),
                r.GetProperty("test_accuracy").GetDouble());
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string LastLine(string text) => text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";

    private static (int Code, string Output, string Error) RunProcess(string file, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancel)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = process.StandardError.ReadToEndAsync(cancel);
        try
        {
            if (!process.WaitForExitAsync(cancel).Wait(timeout)) throw new TimeoutException($"the PyTorch reference ran past {timeout}");
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or AggregateException)
        {
            process.Kill(entireProcessTree: true);
            cancel.ThrowIfCancellationRequested();
            throw;
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
