using System.Diagnostics;

namespace MLPipelines.Cli.Cli;

/// <summary>
/// Worker processes started by <c>mlp sweep run --workers N</c>: this same program, output to a log file, standard
/// input a pipe from the parent. Closing the pipe asks the worker to stop; the kernel closes it when the parent dies.
/// </summary>
public static class WorkerProcess
{
    public static Process Start(IReadOnlyList<string> args, string logPath)
    {
        // This program (mlp.dll), also when it runs inside another host (a test runner calling Program.Main): through
        // its own apphost when that is the process, else as "dotnet mlp.dll".
        string program = typeof(WorkerProcess).Assembly.Location;
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
