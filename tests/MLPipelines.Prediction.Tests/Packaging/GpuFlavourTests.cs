using System.Diagnostics;
using MLPipelines.Tests.Support;

namespace MLPipelines.Prediction.Tests.Packaging;

/// <summary>
/// The GPU flavour (<c>-p:OnnxRuntimeFlavor=gpu</c>): the consuming side builds against Microsoft.ML.OnnxRuntime.Gpu.Linux
/// and, asked for a GPU where there is none (or no CUDA), runs on the CPU with one line that says why.
/// </summary>
[TestClass]
public sealed class GpuFlavourTests
{
    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void TheGpuBuildRestoresRunsAndFallsBackToTheCpuSayingWhy()
    {
        string root = Data.ProjectRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("not inside the project");
        using var dir = new TempDir();
        // A copy of what the consuming side is built from, so that its GPU restore and build touch nothing of the checkout's.
        foreach (string file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "nuget.config", "global.json" })
            File.Copy(Path.Combine(root, file), dir.File(file));
        foreach (string folder in new[] { "build", "src/MLPipelines.Data", "src/MLPipelines.Core", "src/MLPipelines.Prediction" })
            CopySources(Path.Combine(root, folder), dir.File(folder));
        string app = dir.File("app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "App.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../src/MLPipelines.Prediction/MLPipelines.Prediction.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using MLPipelines.Prediction;

            using var classifier = ImageClassifier.Load(args[0], gpuDevice: 0);
            Console.WriteLine($"device {classifier.Device}: {classifier.DeviceNote ?? "CUDA device 0"}");
            foreach (string image in args.Skip(1))
                Console.WriteLine($"{Path.GetFileNameWithoutExtension(image)} {classifier.Predict(image).Label}");
            """);

        Run(app, "dotnet", "build", "-c", "Release", "-p:OnnxRuntimeFlavor=gpu");
        string bin = Path.Combine(app, "bin", "Release", "net10.0", "linux-x64");
        Assert.IsTrue(File.Exists(Path.Combine(bin, "libonnxruntime_providers_cuda.so")), "built against the GPU runtime");

        string photos = Path.Combine(TestData.HandwrittenDigits, "photos");
        string output = Run(app, "dotnet", [Path.Combine(bin, "App.dll"), TestData.DigitsModel, .. Directory.GetFiles(photos, "*.png").Order()]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        StringAssert.StartsWith(lines[0], "device ");
        if (lines[0].StartsWith("device cpu", StringComparison.Ordinal))
            StringAssert.Contains(lines[0], "running on the CPU", "one line says why");
        Assert.IsTrue(lines.Skip(1).All(l => l.Split(' ') is [var file, var label] && file == label), output);
        Assert.HasCount(11, lines, output);
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string sub in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
            CopySources(sub, Path.Combine(to, Path.GetFileName(sub)));
    }

    private static string Run(string folder, string file, params string[] args) =>
        ProcessRunner.Run(folder, file, TimeSpan.FromMinutes(8), args);
}
