using System.Diagnostics;

namespace MLPipelines.Sweeps.Tests.Support;

/// <summary>Runs the real command line (mlp.dll, copied into the test output) as a separate process.</summary>
public static class MlpProcess
{
    public static Process Start(string dataRoot, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlp.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["MLP_DATA"] = dataRoot;
        var p = Process.Start(psi)!;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    public static (int Code, string Output) Run(string dataRoot, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlp.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["MLP_DATA"] = dataRoot;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"mlp {string.Join(' ', args)} did not finish in {timeout}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails after the timeout.</summary>
    public static void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"timed out waiting for {what}");
            Thread.Sleep(200);
        }
    }
}
