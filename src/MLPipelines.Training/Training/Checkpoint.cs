using System.IO.Compression;
using System.Text.Json;
using MLPipelines.Models;
using static TorchSharp.torch;

namespace MLPipelines.Training;

/// <summary>
/// A checkpoint is a zip: state.json (<see cref="CheckpointState"/>), model.bin (TorchSharp weights),
/// optimizer.bin (momentum buffers etc.) and rng.bin (libtorch's generator, which drives dropout).
/// Everything a resumed run needs to continue exactly where it stopped. Written to a temporary file and
/// renamed, so a crash never leaves half a checkpoint.
/// </summary>
public static class Checkpoint
{
    public const string Extension = ".ckpt";
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Save(string path, DigitNet model, optim.Optimizer optimizer, CheckpointState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            Write(zip, "state.json", s => JsonSerializer.Serialize(s, state, Json));
            Write(zip, "model.bin", s => model.save(s));
            Write(zip, "optimizer.bin", s =>
            {
                using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
                ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(w);
            });
            Write(zip, "rng.bin", s =>
            {
                using var rng = get_rng_state();
                s.Write(rng.data<byte>().ToArray());
            });
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static CheckpointState ReadState(string path)
    {
        using var zip = Open(path);
        using var s = Entry(zip, path, "state.json");
        return JsonSerializer.Deserialize<CheckpointState>(s, Json)
            ?? throw new InvalidDataException($"{path}: empty checkpoint state");
    }

    /// <summary>Loads weights, optimizer state and the random generator's state from the checkpoint.</summary>
    public static void Restore(string path, DigitNet model, optim.Optimizer? optimizer)
    {
        using var zip = Open(path);
        using (var s = Copy(Entry(zip, path, "model.bin"))) model.load(s);
        if (optimizer is not null)
        {
            using var s = Copy(Entry(zip, path, "optimizer.bin"));
            using var r = new BinaryReader(s);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(r);
        }
        using (var s = Copy(Entry(zip, path, "rng.bin")))
        {
            using var rng = tensor(s.ToArray(), ScalarType.Byte);
            set_rng_state(rng);
        }
    }

    /// <summary>Only the network: for testing or exporting a checkpoint.</summary>
    public static DigitNet LoadModel(string path)
    {
        var state = ReadState(path);
        var model = new DigitNet(state.Model);
        using var zip = Open(path);
        using var s = Copy(Entry(zip, path, "model.bin"));
        model.load(s);
        return model;
    }

    private static ZipArchive Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}");
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a checkpoint (not a zip file)");
        }
    }

    private static Stream Entry(ZipArchive zip, string path, string name) =>
        (zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: not a checkpoint (no {name})")).Open();

    // TorchSharp's loaders seek; zip entry streams cannot.
    private static MemoryStream Copy(Stream s)
    {
        using (s)
        {
            var m = new MemoryStream();
            s.CopyTo(m);
            m.Position = 0;
            return m;
        }
    }

    private static void Write(ZipArchive zip, string name, Action<Stream> write)
    {
        // TorchSharp's writers close the stream they are given: write to memory (ToArray works after Close).
        var buffer = new MemoryStream();
        write(buffer);
        using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        s.Write(buffer.ToArray());
    }
}
