using MLPipelines.Cli.Cli;
using MLPipelines.Cli.Commands;
using MLPipelines.Core.Runs;
using MLPipelines.Training.Transfer;

namespace MLPipelines.Cli.Stages;

/// <summary>
/// Transfer learning to Greek letters (what <c>mlp greek train</c> and <c>mlp greek test</c> do), into RUN/greek: the
/// assignment's frozen features, and fc1 fine-tuned on augmented letters (the approach that reaches the 90% target),
/// each trained from this run's digit network (else the committed models/digits.zip) and tested on DATA/greek/test.
/// </summary>
public sealed class GreekStage : IStage
{
    /// <summary>The approaches, each in its own folder under RUN/greek, with the <c>mlp greek train</c> options it stands for.</summary>
    public static IReadOnlyList<(string Folder, string Options, TransferOptions Transfer)> Approaches(long seed) =>
    [
        ("frozen", "", new TransferOptions { Training = TransferOptions.DefaultTraining with { Seed = seed, Threads = 1 } }),
        ("fc1-augmented", "--augment 10 --fine-tune fc1 --epochs 30", new TransferOptions
        {
            Training = TransferOptions.DefaultTraining with { Epochs = 30, Seed = seed, Threads = 1 },
            FineTune = FineTuneLayers.Fc1,
            AugmentCopies = 10,
        }),
    ];

    public string Name => "greek";
    public string Description => "transfer learning: Greek letters from the frozen digit network";
    public int Order => 200;

    public bool CanRun(StageContext context, out string reason)
    {
        string train = GreekShared.SplitFolder(context.Data, "train"), test = GreekShared.SplitFolder(context.Data, "test");
        if (!Directory.Exists(train) || !Directory.Exists(test))
        {
            reason = $"no Greek letters in {Path.GetDirectoryName(train)}: put folder-per-class images in train/ and test/ there (alpha/, beta/, gamma/; see README, 'Greek letters')";
            return false;
        }
        if (context.DigitModel is null && !File.Exists(GreekShared.DefaultDigits))
        {
            reason = $"no trained digit network: neither this run's digits stage nor {GreekShared.DefaultDigits}";
            return false;
        }
        reason = context.DigitModel is null ? $"starting from {GreekShared.DefaultDigits} (this run has no digit network)" : "";
        return true;
    }

    public StageStatus Run(StageContext context)
    {
        string train = GreekShared.SplitFolder(context.Data, "train"), test = GreekShared.SplitFolder(context.Data, "test");
        string digits = context.DigitModel ?? GreekShared.DefaultDigits;
        var stage = context.Folder(Name);
        foreach (var (folder, options, transfer) in Approaches(context.Training.Seed))
        {
            var run = stage.Child(folder);
            Console.WriteLine();
            Console.WriteLine($"-- {folder}: {TransferRun.Describe(transfer)} --");
            var runOptions = new TransferRunOptions(train, digits, transfer, run.File("model.zip"),
                $"mlp greek train --digits {digits} --seed {transfer.Training.Seed} {options}".TrimEnd());
            int code = GreekTrainCommand.Train(run, runOptions);
            if (code == ExitCodes.Ok) code = GreekTestCommand.Test(run, run.File("model.zip"), test);
            if (code == ExitCodes.Interrupted) return StageStatus.Interrupted;
            if (code != ExitCodes.Ok) throw new UserError($"{folder} ended with exit code {code}");
        }
        return StageStatus.Done;
    }
}
