using System.Diagnostics;

namespace MLPipelines.Sweeps.Running;

/// <summary>
/// Worker processes that <see cref="StudyOptimizer"/> starts: a .NET program (the <c>mlp</c> command line's
/// <c>sweep worker</c>), output to a log file, standard input a pipe from the parent. Closing the pipe asks the worker
/// to stop (<see cref="ParentGone"/>); the kernel closes it when the parent dies, even by kill -9.
/// </summary>
public static class WorkerProcess
{
    /// <summary>A worker's exit codes that are no failure: done, and stopped on request.</summary>
    public const int ExitOk = 0, ExitInterrupted = 130;

    /// <summary>Starts <paramref name="program"/> (a .dll) with <paramref name="args"/>, its output appended to <paramref name="logPath"/>.</summary>
    public static Process Start(string program, IReadOnlyList<string> args, string logPath)
    {
        // Through the program's own apphost when that is this process, else as "dotnet program.dll" (also when it runs
        // inside another host, such as a test runner calling its Main).
        string current = Environment.ProcessPath!;
        bool apphost = Path.GetFileNameWithoutExtension(current).Equals(Path.GetFileNameWithoutExtension(program), StringComparison.Ordinal);
        string host = apphost || Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : DotnetHost();
        var psi = new ProcessStartInfo(host)
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        if (!apphost) psi.ArgumentList.Add(program);
        foreach (string a in args) psi.ArgumentList.Add(a);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        DataReceivedEventHandler write = (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.OutputDataReceived += write;
        process.ErrorDataReceived += write;
        process.Exited += (_, _) => { process.WaitForExit(); lock (log) log.Dispose(); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The dotnet host: the one the SDK names for its child processes, else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    /// <summary>Asks the worker to stop after giving its trial back.</summary>
    public static void Detach(Process p)
    {
        try { p.StandardInput.Close(); } catch (IOException) { } catch (InvalidOperationException) { }
    }

    /// <summary>For a worker: a token cancelled when the parent closes our standard input (or dies).</summary>
    public static CancellationToken ParentGone()
    {
        var source = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (input.Read(buffer, 0, buffer.Length) > 0) { }
            }
            catch (IOException) { }
            source.Cancel();
        }) { IsBackground = true, Name = "parent-watch" };
        thread.Start();
        return source.Token;
    }
}
