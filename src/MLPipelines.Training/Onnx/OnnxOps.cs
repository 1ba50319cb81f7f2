using MLPipelines.Training.Onnx.Proto;
using A = MLPipelines.Training.Onnx.OnnxAttribute;

namespace MLPipelines.Training.Onnx;

/// <summary>
/// ONNX operators as one-line calls on an <see cref="OnnxGraphBuilder"/>, for graphs written by hand (the image
/// preparation). Each returns the name of the value it makes. Opset 18 forms (Reduce* and Pad take their axes
/// and pads as inputs).
/// </summary>
public static class OnnxOps
{
    public static string Op(this OnnxGraphBuilder b, string op, params string[] inputs) => b.AddNode(op, inputs, hint: op);

    public static string Add(this OnnxGraphBuilder b, string x, string y) => b.Op("Add", x, y);
    public static string Sub(this OnnxGraphBuilder b, string x, string y) => b.Op("Sub", x, y);
    public static string Mul(this OnnxGraphBuilder b, string x, string y) => b.Op("Mul", x, y);
    public static string Div(this OnnxGraphBuilder b, string x, string y) => b.Op("Div", x, y);
    public static string Max(this OnnxGraphBuilder b, string x, string y) => b.Op("Max", x, y);
    public static string Min(this OnnxGraphBuilder b, string x, string y) => b.Op("Min", x, y);
    public static string Greater(this OnnxGraphBuilder b, string x, string y) => b.Op("Greater", x, y);
    public static string GreaterOrEqual(this OnnxGraphBuilder b, string x, string y) => b.Op("GreaterOrEqual", x, y);
    public static string Less(this OnnxGraphBuilder b, string x, string y) => b.Op("Less", x, y);
    public static string LessOrEqual(this OnnxGraphBuilder b, string x, string y) => b.Op("LessOrEqual", x, y);
    public static string Equal(this OnnxGraphBuilder b, string x, string y) => b.Op("Equal", x, y);
    public static string And(this OnnxGraphBuilder b, string x, string y) => b.Op("And", x, y);
    public static string Or(this OnnxGraphBuilder b, string x, string y) => b.Op("Or", x, y);
    public static string Not(this OnnxGraphBuilder b, string x) => b.Op("Not", x);
    public static string Where(this OnnxGraphBuilder b, string condition, string x, string y) => b.Op("Where", condition, x, y);
    public static string Round(this OnnxGraphBuilder b, string x) => b.Op("Round", x);
    public static string Floor(this OnnxGraphBuilder b, string x) => b.Op("Floor", x);
    public static string Ceil(this OnnxGraphBuilder b, string x) => b.Op("Ceil", x);
    public static string Clip(this OnnxGraphBuilder b, string x, string min, string max) => b.Op("Clip", x, min, max);
    public static string Shape(this OnnxGraphBuilder b, string x) => b.Op("Shape", x);
    public static string Identity(this OnnxGraphBuilder b, string x) => b.Op("Identity", x);

    public static string Cast(this OnnxGraphBuilder b, string x, TensorProto.Types.DataType to) =>
        b.AddNode("Cast", [x], hint: "Cast", attributes: A.Int("to", (long)to));

    public static string ToFloat(this OnnxGraphBuilder b, string x) => b.Cast(x, TensorProto.Types.DataType.Float);
    public static string ToDouble(this OnnxGraphBuilder b, string x) => b.Cast(x, TensorProto.Types.DataType.Double);
    public static string ToInt64(this OnnxGraphBuilder b, string x) => b.Cast(x, TensorProto.Types.DataType.Int64);

    /// <summary>A rank-1 int64 constant (axes, shapes, slice bounds).</summary>
    public static string Int64s(this OnnxGraphBuilder b, params long[] values) =>
        b.AddInitializer(b.FreeName("ints"), values, values.Length);

    public static string ReduceSum(this OnnxGraphBuilder b, string x, long[] axes, bool keepDims = false) =>
        b.AddNode("ReduceSum", [x, b.Int64s(axes)], hint: "ReduceSum", attributes: A.Int("keepdims", keepDims ? 1 : 0));

    public static string ReduceMax(this OnnxGraphBuilder b, string x, long[] axes, bool keepDims = false) =>
        b.AddNode("ReduceMax", [x, b.Int64s(axes)], hint: "ReduceMax", attributes: A.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>The index of the first (or last) largest element along <paramref name="axis"/>, without the axis.</summary>
    public static string ArgMax(this OnnxGraphBuilder b, string x, long axis = 0, bool last = false) =>
        b.AddNode("ArgMax", [x], hint: "ArgMax", attributes: [A.Int("axis", axis), A.Int("keepdims", 0), A.Int("select_last_index", last ? 1 : 0)]);

    public static string CumSum(this OnnxGraphBuilder b, string x, long axis = 0) => b.Op("CumSum", x, b.AddInt64(axis));

    public static string Reshape(this OnnxGraphBuilder b, string x, params long[] shape) => b.Op("Reshape", x, b.Int64s(shape));

    public static string Unsqueeze(this OnnxGraphBuilder b, string x, params long[] axes) => b.Op("Unsqueeze", x, b.Int64s(axes));

    public static string Squeeze(this OnnxGraphBuilder b, string x, params long[] axes) => b.Op("Squeeze", x, b.Int64s(axes));

    public static string Concat(this OnnxGraphBuilder b, long axis, params string[] xs) =>
        b.AddNode("Concat", xs, hint: "Concat", attributes: A.Int("axis", axis));

    /// <summary>Elements <paramref name="starts"/>..<paramref name="ends"/> (int64 rank-1 values) along <paramref name="axes"/>.</summary>
    public static string Slice(this OnnxGraphBuilder b, string x, string starts, string ends, params long[] axes) =>
        b.Op("Slice", x, starts, ends, b.Int64s(axes));

    public static string Slice(this OnnxGraphBuilder b, string x, long[] starts, long[] ends, params long[] axes) =>
        b.Slice(x, b.Int64s(starts), b.Int64s(ends), axes);

    public static string Gather(this OnnxGraphBuilder b, string x, string indices, long axis = 0) =>
        b.AddNode("Gather", [x, indices], hint: "Gather", attributes: A.Int("axis", axis));

    /// <summary>0, 1, ..., n-1 as float (n an int64 scalar value).</summary>
    public static string RangeFloat(this OnnxGraphBuilder b, string n) =>
        b.Op("Range", b.AddScalar(0f), b.ToFloat(n), b.AddScalar(1f));

    /// <summary>Sums <paramref name="updates"/> into <paramref name="bins"/> zero bins at the int64 <paramref name="indices"/> (a histogram).</summary>
    public static string ScatterAdd(this OnnxGraphBuilder b, string indices, string updates, long bins) =>
        b.AddNode("ScatterElements", [b.AddInitializer(b.FreeName("zeros"), new float[bins], bins), indices, updates],
            hint: "ScatterAdd", attributes: [A.Int("axis", 0), A.String("reduction", "add")]);

    /// <summary>Constant padding; <paramref name="pads"/> an int64 rank-1 value (begins then ends, per axis).</summary>
    public static string Pad(this OnnxGraphBuilder b, string x, string pads) => b.Op("Pad", x, pads);

    /// <summary>A scalar out of a one-element value.</summary>
    public static string Scalar(this OnnxGraphBuilder b, string x) => b.Reshape(x);
}
