using System.IO.Compression;
using System.Text.Json;
using MLPipelines.Core.Models;
using MLPipelines.Prediction.Models;

namespace MLPipelines.Serving.Tests.Support;

/// <summary>Copies of the digit model that differ in what a client can see: the class names in its metadata.</summary>
public static class ModelVariants
{
    public static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>Writes a copy of <paramref name="source"/> whose classes are named <see cref="Words"/>.</summary>
    public static void WithWordClasses(string source, string destination)
    {
        File.Copy(source, destination, overwrite: true);
        var metadata = ModelPackage.ReadMetadata(source) with { Classes = Words, Description = "digits with word labels" };
        using var zip = ZipFile.Open(destination, ZipArchiveMode.Update);
        zip.GetEntry(ModelPackage.MetadataEntry)!.Delete();
        using var entry = zip.CreateEntry(ModelPackage.MetadataEntry).Open();
        JsonSerializer.Serialize(entry, metadata);
    }

    /// <summary>Puts <paramref name="source"/> in place of <paramref name="destination"/> the way a careful writer does: a hidden temporary file, then one rename.</summary>
    public static void ReplaceAtomically(string source, string destination)
    {
        string temp = Path.Combine(Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        File.Copy(source, temp);
        File.Move(temp, destination, overwrite: true);
    }
}
