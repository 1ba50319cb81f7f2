using System.Diagnostics;

namespace MLPipelines.Tests.Support;

/// <summary>Runs a program (dotnet, node) in a folder and fails the test, with its output, unless it exits with 0.</summary>
public static class ProcessRunner
{
    /// <summary>The program's standard output; killed after <paramref name="timeout"/>.</summary>
    public static string Run(string folder, string file, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout)) process.Kill(entireProcessTree: true);
        Assert.AreEqual(0, process.ExitCode, $"{file} {string.Join(' ', args)}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
