using System.IO.Compression;
using Microsoft.ML;
using MLPipelines.Core.Models;

namespace MLPipelines.Tests.Support;

/// <summary>Models as they were before format 2, for the tests that older files still load and upgrade.</summary>
public static class FormatOneModel
{
    /// <summary>A format-2 model without its loader and with format 1 in its metadata: what models were before.</summary>
    public static void Save(string model, string path)
    {
        var ml = new MLContext();
        var fromImage = ModelPackage.FromImage(ml.Model.Load(model, out _));
        ml.Model.Save(fromImage, null, path);
        using var source = ZipFile.OpenRead(model);
        using var target = ZipFile.Open(path, ZipArchiveMode.Update);
        foreach (var entry in source.Entries.Where(e => e.FullName.StartsWith(ModelPackage.Folder, StringComparison.Ordinal)))
        {
            using var from = entry.Open();
            using var to = target.CreateEntry(entry.FullName).Open();
            if (entry.FullName == ModelPackage.MetadataEntry)
            {
                var json = System.Text.Json.Nodes.JsonNode.Parse(from)!;
                json["format"] = 1;
                System.Text.Json.JsonSerializer.Serialize(to, json);
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

}
