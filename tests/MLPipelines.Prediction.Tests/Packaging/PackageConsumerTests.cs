using System.Diagnostics;
using MLPipelines.Tests.Support;

namespace MLPipelines.Prediction.Tests.Packaging;

/// <summary>
/// An app needs the package and nothing of this repository: <c>dotnet pack</c> makes a local feed, a console project
/// outside the solution restores MLPipelines.Prediction from it, loads the committed digit model and reads the shared
/// photos of digits.
/// </summary>
[TestClass]
public sealed class PackageConsumerTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [TestMethod]
    [RequiresData("handwritten-digits")]
    [TestCategory("slow")]
    public void AFreshAppRestoresThePackageFromALocalFeedAndPredicts()
    {
        string root = Data.ProjectRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("not inside the project");
        string photos = Path.Combine(TestData.HandwrittenDigits, "photos");
        using var dir = new TempDir();
        string feed = dir.File("feed"), app = dir.File("app");
        // A version of its own, so that NuGet's global cache cannot hand back a package of another build.
        string version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        try
        {
            foreach (string project in new[] { "MLPipelines.Data", "MLPipelines.Core", "MLPipelines.Prediction" })
                Run(root, "dotnet", "pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", Configuration, "--no-build",
                    "-o", feed, $"-p:PackageVersion={version}");
            Assert.IsTrue(File.Exists(Path.Combine(feed, $"MLPipelines.Prediction.{version}.nupkg")));
            Assert.IsTrue(File.Exists(Path.Combine(feed, $"MLPipelines.Prediction.{version}.snupkg")), "symbols");

            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <NuGetAudit>false</NuGetAudit>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="MLPipelines.Prediction" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using MLPipelines.Prediction;

                using var classifier = ImageClassifier.Load(args[0]);
                foreach (string image in args.Skip(1))
                    Console.WriteLine($"{Path.GetFileNameWithoutExtension(image)} {classifier.Predict(image).Label}");
                """);
            Run(app, "dotnet", "build", "-c", "Release");
            string output = Run(app, "dotnet", ["run", "-c", "Release", "--no-build", "--", TestData.DigitsModel, .. Directory.GetFiles(photos, "*.png").Order()]);

            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Length > 0).ToList();
            Assert.HasCount(10, lines, output);
            Assert.IsTrue(lines.All(l => l.Split(' ') is [var file, var label] && file == label), output);
            string bin = Path.Combine(app, "bin", "Release", "net10.0");
            Assert.IsFalse(Directory.EnumerateFiles(bin, "*", SearchOption.AllDirectories).Any(f => Path.GetFileName(f).Contains("Torch", StringComparison.OrdinalIgnoreCase)),
                "the consuming side brings no TorchSharp");
        }
        finally
        {
            // Leave NuGet's cache as it was.
            string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (string id in new[] { "mlpipelines.data", "mlpipelines.core", "mlpipelines.prediction" })
            {
                string cached = Path.Combine(cache, id, version);
                if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            }
        }
    }

    private static string Run(string folder, string file, params string[] args) =>
        ProcessRunner.Run(folder, file, TimeSpan.FromMinutes(5), args);
}
