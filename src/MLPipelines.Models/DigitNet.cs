using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Models;

/// <summary>
/// The assignment's network: conv(1→10) → maxpool 2 → relu → conv(10→20) → Dropout2d → maxpool 2 → relu →
/// flatten → linear(→50) → relu → linear(50→10) → log_softmax. Field names follow the assignment's PyTorch
/// code, so parameter names (conv1.weight, ...) match its state_dict. Pooling and activations are
/// functional, as in the assignment, so the summary lists the same five layers.
/// </summary>
public sealed class DigitNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Dropout2d conv2_drop;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public DigitNet(DigitNetOptions? options = null) : base(nameof(DigitNet))
    {
        Options = options ?? new DigitNetOptions();
        Options.Validate();
        var o = Options;
        conv1 = nn.Conv2d(1, o.Conv1Channels, o.KernelSize);
        conv2 = nn.Conv2d(o.Conv1Channels, o.Conv2Channels, o.KernelSize);
        conv2_drop = nn.Dropout2d(o.Dropout);
        fc1 = nn.Linear(o.FlattenSize, o.Hidden);
        fc2 = nn.Linear(o.Hidden, o.Classes);
        RegisterComponents();
    }

    public DigitNetOptions Options { get; }

    public Conv2d Conv1 => conv1;
    public Linear Fc1 => fc1;
    public Linear Output => fc2;

    public override Tensor forward(Tensor x) => F.log_softmax(Head(Convolutions(x, conv2_drop.call).flatten(1)), 1);

    /// <summary>
    /// <see cref="forward"/> with Dropout2d's noise given rather than drawn: a shard of <see cref="DropoutNoise"/>'s
    /// (null: no dropout). Threads computing shards of one batch use it, so that the noise comes from the generator in
    /// one order whatever the threads do.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? dropoutNoise) =>
        F.log_softmax(Head(Convolutions(x, t => dropoutNoise is null ? t : t.mul(dropoutNoise)).flatten(1)), 1);

    /// <summary>
    /// The noise Dropout2d multiplies a training batch of <paramref name="batch"/> images by, drawn from libtorch's
    /// generator as Dropout2d draws it (one Bernoulli(1 - p) per image and channel, divided by 1 - p), so that
    /// <c>Forward(x, DropoutNoise(n))</c> equals <c>forward(x)</c> bit for bit. Null in eval mode and at dropout 0.
    /// </summary>
    public Tensor? DropoutNoise(long batch)
    {
        if (!conv2_drop.training || Options.Dropout == 0) return null;
        double keep = 1 - Options.Dropout;
        return empty(batch, Options.Conv2Channels, 1, 1).bernoulli_(keep).div_(keep);
    }

    /// <summary>The 50 features fc1 makes from an image batch (after relu), for transfer learning and inspection.</summary>
    public Tensor Features(Tensor x)
    {
        return F.relu(fc1.call(Convolutions(x, conv2_drop.call).flatten(1)));
    }

    /// <summary>
    /// conv → pool → relu twice, the convolutions in C# (<see cref="FastConv"/>). For inference each layer is one pass
    /// (Dropout2d is the identity in eval mode).
    /// </summary>
    private Tensor Convolutions(Tensor x, Func<Tensor, Tensor> dropout)
    {
        x = FastConv.TryPoolRelu(conv1, x, out var pooled1) ? pooled1 : MaxPoolRelu.Apply(FastConv.Apply(conv1, x));
        if (!conv2_drop.training && FastConv.TryPoolRelu(conv2, x, out var pooled2)) return pooled2;
        return MaxPoolRelu.Apply(dropout(FastConv.Apply(conv2, x)));
    }

    // call() rather than forward() so that hooks (the summary's shape probes) see each layer.
    private Tensor Head(Tensor flat) => fc2.call(F.relu(fc1.call(flat)));

    /// <summary>
    /// A copy of this network with a fresh last layer of <paramref name="classes"/> outputs (the transfer-learning
    /// step); every other weight is copied. The new layer is initialised from the global generator.
    /// </summary>
    public DigitNet WithNewOutput(int classes) => CopyTo(new DigitNet(Options with { Classes = classes }), skip: "fc2.");

    /// <summary>An independent copy with the same weights and the same trainable flags.</summary>
    public DigitNet Copy() => CopyTo(new DigitNet(Options), skip: null);

    private DigitNet CopyTo(DigitNet copy, string? skip)
    {
        var mine = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (var (name, parameter) in copy.named_parameters())
            {
                if (skip is not null && name.StartsWith(skip, StringComparison.Ordinal)) continue;
                parameter.copy_(mine[name]);
                parameter.requires_grad = mine[name].requires_grad;
            }
        }
        return copy;
    }

    /// <summary>Sets requires_grad on every parameter (freeze with false).</summary>
    public void SetTrainable(bool trainable)
    {
        foreach (var p in parameters()) p.requires_grad = trainable;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            conv2.Dispose();
            conv2_drop.Dispose();
            fc1.Dispose();
            fc2.Dispose();
        }
        base.Dispose(disposing);
    }
}
