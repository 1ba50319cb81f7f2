namespace MLPipelines.Training.Onnx;

/// <summary>The outputs every exported classifier has, whatever its input: what the ML.NET pipeline reads.</summary>
public static class OnnxClassifier
{
    /// <summary>float32 [batch, classes]: softmax of the scores, rows sum to 1.</summary>
    public const string Probabilities = "Probabilities";

    /// <summary>float32 [batch, classes]: log_softmax of the scores, what the TorchSharp networks return.</summary>
    public const string LogProbabilities = "LogProbabilities";

    /// <summary>int64 [batch]: the index of the most probable class, which ML.NET maps to the class name.</summary>
    public const string PredictedIndex = "PredictedIndex";

    /// <summary>
    /// Adds the three outputs from <paramref name="scores"/> (logits, or log-probabilities: softmax and log_softmax
    /// give the same result on either).
    /// </summary>
    public static void AddOutputs(OnnxGraphBuilder b, string scores, long classes)
    {
        b.AddSoftmax(scores, Probabilities);
        b.AddLogSoftmax(scores, LogProbabilities);
        b.AddNode("ArgMax", [Probabilities], PredictedIndex, attributes: [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0)]);
        b.AddOutput(Probabilities, "class probabilities (softmax)", OnnxDim.Batch, classes);
        b.AddOutput(LogProbabilities, "log class probabilities (log_softmax)", OnnxDim.Batch, classes);
        b.AddOutput(PredictedIndex, "index of the most probable class", Proto.TensorProto.Types.DataType.Int64, OnnxDim.Batch);
    }
}
