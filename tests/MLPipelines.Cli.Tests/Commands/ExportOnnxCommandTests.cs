using MLPipelines.Cli;
using MLPipelines.Models;
using MLPipelines.Tests.Support;
using MLPipelines.Training;
using static TorchSharp.torch;

namespace MLPipelines.Cli.Tests.Commands;

/// <summary><c>mlp export onnx</c> on a checkpoint in a run folder, and its errors.</summary>
[TestClass]
public sealed class ExportOnnxCommandTests
{
    private static string RunFolderWithCheckpoint(TempDir dir, int classes = 10)
    {
        string run = Path.Combine(dir.Path, "20261125-140000-mnist-train");
        using var net = new DigitNet(new DigitNetOptions { Classes = classes });
        using var optimizer = optim.SGD(net.parameters(), 0.01);
        Checkpoint.Save(Path.Combine(run, "checkpoints", "last.ckpt"), net, optimizer,
            new CheckpointState { Model = net.Options, Training = new TrainingOptions() });
        return run;
    }

    private static (int Code, string Out, string Error) Mlp(params string[] args) => CliRunner.Mlp(args);

    [TestMethod]
    public void ExportsARunFolderNextToIt()
    {
        using var dir = new TempDir();
        string run = RunFolderWithCheckpoint(dir, classes: 3);
        var (code, output, error) = Mlp("export", "onnx", run + "/");
        Assert.AreEqual(0, code, error);
        string onnx = run + ".onnx";
        Assert.IsTrue(File.Exists(onnx), output);
        StringAssert.Contains(output, onnx);
        StringAssert.Contains(output, "Pixels: float32 [batch, 784]");
        StringAssert.Contains(output, "LogProbabilities: float32 [batch, 3]");
        using var session = new OnnxRunner(File.ReadAllBytes(onnx));
        Assert.AreEqual(3, session.Session.OutputMetadata["Probabilities"].Dimensions[1]);
    }

    [TestMethod]
    public void WritesWhereOutSays()
    {
        using var dir = new TempDir();
        string checkpoint = Path.Combine(RunFolderWithCheckpoint(dir), "checkpoints", "last.ckpt");
        Assert.AreEqual(0, Mlp("export", "onnx", checkpoint).Code);
        Assert.IsTrue(File.Exists(Path.ChangeExtension(checkpoint, ".onnx")), "default: beside the checkpoint");
        string target = dir.File("out/digits.onnx");
        Assert.AreEqual(0, Mlp("export", "onnx", checkpoint, "--out", target).Code);
        Assert.IsTrue(new FileInfo(target).Length > 80_000, "21,840 float weights");
    }

    [TestMethod]
    public void BadInputIsOneErrorLine()
    {
        using var dir = new TempDir();
        var (code, _, error) = Mlp("export", "onnx", dir.File("missing.ckpt"));
        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "error: model not found");
        Assert.AreEqual(1, error.TrimEnd().Split('\n').Length, error);

        File.WriteAllText(dir.File("notes.ckpt"), "not a zip");
        (code, _, error) = Mlp("export", "onnx", dir.File("notes.ckpt"));
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "notes.ckpt: not a checkpoint");
        Assert.AreEqual(1, error.TrimEnd().Split('\n').Length, error);

        string checkpoint = Path.Combine(RunFolderWithCheckpoint(dir), "checkpoints", "last.ckpt");
        (code, _, error) = Mlp("export", "onnx", checkpoint, "--out", checkpoint);
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "overwrite the model");
    }

    [TestMethod]
    public void HelpShowsExamples()
    {
        var (code, output, _) = Mlp("export", "onnx", "--help");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "Examples:");
        StringAssert.Contains(output, "--out");
    }
}
