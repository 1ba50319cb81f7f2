using System.Diagnostics;
using System.Reflection;

namespace MLPipelines.Cli.Cli;

/// <summary>
/// Worker processes started by <c>mlp sweep run --workers N</c>: this same program, output to a log file, standard
/// input a pipe from the parent. Closing the pipe asks the worker to stop; the kernel closes it when the parent dies.
/// </summary>
public static class WorkerProcess
{
    public static Process Start(IReadOnlyList<string> args, string logPath)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!)
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // Run as "dotnet mlp.dll": the host needs the program's path first.
        string entry = Assembly.GetEntryAssembly()!.Location;
        if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals(Path.GetFileNameWithoutExtension(entry), StringComparison.Ordinal))
            psi.ArgumentList.Add(entry);
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
