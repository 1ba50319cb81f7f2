using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MLPipelines.Training.Evaluation;

/// <summary>Runs a log-softmax classifier over a data set in eval mode, without gradients.</summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1000, int keepOutputs = 10)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            int n = data.Count;
            var predictions = new int[n];
            var confidences = new float[n];
            var first = new List<float[]>();
            double lossSum = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int size = Math.Min(batchSize, n - start);
                var (x, y) = data.Batch(null, start, size);
                Tensor output = model.forward(x);
                lossSum += F.nll_loss(output, y, reduction: nn.Reduction.Sum).item<float>();
                var (best, index) = output.max(1);
                best.exp().data<float>().CopyTo(confidences, start);
                var idx = index.data<long>().ToArray();
                for (int i = 0; i < size; i++) predictions[start + i] = (int)idx[i];
                for (int i = 0; i < size && first.Count < keepOutputs; i++)
                    first.Add(output[i].data<float>().ToArray());
            }
            return new EvaluationResult
            {
                ClassNames = data.ClassNames,
                Loss = n == 0 ? 0 : lossSum / n,
                Labels = data.Labels.data<long>().Select(l => (int)l).ToArray(),
                Predictions = predictions,
                Confidences = confidences,
                FirstOutputs = first.ToArray(),
            };
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
