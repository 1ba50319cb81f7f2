using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MLPipelines.Models;

/// <summary>One row of a model summary: a direct child module, its output shape and its parameters.</summary>
public sealed record LayerSummary(string Name, string Type, int Index, long[] OutputShape, long Parameters, long Trainable);

/// <summary>
/// A summary like torchinfo's: each direct child module in execution order with its output shape and
/// parameter count, then the total, trainable and non-trainable counts. Layers whose parameters are all
/// frozen show their count in parentheses, as torchinfo does.
/// </summary>
public sealed class ModelSummary
{
    private const int Width = 90;

    private ModelSummary(string modelName, long[] outputShape, IReadOnlyList<LayerSummary> layers, long total, long trainable)
    {
        ModelName = modelName;
        OutputShape = outputShape;
        Layers = layers;
        TotalParameters = total;
        TrainableParameters = trainable;
    }

    public string ModelName { get; }
    public long[] OutputShape { get; }
    public IReadOnlyList<LayerSummary> Layers { get; }
    public long TotalParameters { get; }
    public long TrainableParameters { get; }
    public long NonTrainableParameters => TotalParameters - TrainableParameters;

    /// <summary>Runs one forward pass on zeros of <paramref name="inputShape"/> (in eval mode, no grad) to record shapes.</summary>
    public static ModelSummary Of(nn.Module<Tensor, Tensor> model, params long[] inputShape)
    {
        var shapes = new Dictionary<string, long[]>();
        var order = new List<string>();
        var removers = new List<Action>();
        foreach (var (name, child) in model.named_children())
        {
            if (child is nn.Module<Tensor, Tensor> layer)
            {
                string key = name;
                var remover = layer.register_forward_hook((_, _, output) =>
                {
                    if (!shapes.ContainsKey(key)) order.Add(key);
                    shapes[key] = output.shape;
                    return output;
                });
                removers.Add(remover.remove);
            }
        }

        bool wasTraining = model.training;
        long[] outputShape;
        try
        {
            model.eval();
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            FastConv.ThroughModules = true; // the modules' own call(), so that the hooks see every layer
            outputShape = model.forward(zeros(inputShape)).shape;
        }
        finally
        {
            FastConv.ThroughModules = false;
            foreach (var remove in removers) remove();
            model.train(wasTraining);
        }

        var children = model.named_children().ToDictionary(c => c.name, c => c.module);
        // Execution order first (what torchinfo shows), then any child the forward pass did not use.
        var names = order.Concat(children.Keys.Where(k => !order.Contains(k))).ToList();
        var layers = names.Select((name, i) =>
        {
            var ps = children[name].parameters().ToList();
            return new LayerSummary(name, children[name].GetType().Name, i + 1, shapes.GetValueOrDefault(name, []),
                ps.Sum(p => p.numel()), ps.Where(p => p.requires_grad).Sum(p => p.numel()));
        }).ToList();

        var all = model.parameters().ToList();
        return new ModelSummary(model.GetName(), outputShape, layers,
            all.Sum(p => p.numel()), all.Where(p => p.requires_grad).Sum(p => p.numel()));
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        string rule = new('=', Width);
        sb.AppendLine(rule);
        sb.AppendLine(Row("Layer (type:depth-idx)", "Output Shape", "Param #"));
        sb.AppendLine(rule);
        sb.AppendLine(Row(ModelName, Shape(OutputShape), "--"));
        foreach (var l in Layers)
            sb.AppendLine(Row($"├─{l.Type}: 1-{l.Index}", Shape(l.OutputShape), ParamText(l)));
        sb.AppendLine(rule);
        sb.AppendLine($"Total params: {N(TotalParameters)}");
        sb.AppendLine($"Trainable params: {N(TrainableParameters)}");
        sb.AppendLine($"Non-trainable params: {N(NonTrainableParameters)}");
        sb.Append(rule);
        return sb.ToString();
    }

    public static string ParamText(LayerSummary l) =>
        l.Parameters == 0 ? "--" : l.Trainable == 0 ? $"({N(l.Parameters)})" : N(l.Parameters);

    public static string Shape(long[] shape) => shape.Length == 0 ? "--" : "[" + string.Join(", ", shape) + "]";

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Row(string a, string b, string c) => $"{a,-41}{b,-26}{c}";
}
