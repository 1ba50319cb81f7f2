namespace MLPipelines.Training.Onnx;

/// <summary>A dimension of a graph input or output: a fixed size, or a named symbolic one (any size at run time).</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    /// <summary>The batch dimension every exported graph declares: any number of rows per call.</summary>
    public static readonly OnnxDim Batch = Named("batch");

    public static OnnxDim Named(string name) => new(null, name);

    public static implicit operator OnnxDim(long value) => new(value, null);

    public override string ToString() => Param ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
