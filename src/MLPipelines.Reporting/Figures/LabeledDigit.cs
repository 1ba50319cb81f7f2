using MLPipelines.Core.Imaging;
using MLPipelines.Reporting.Imaging;

namespace MLPipelines.Reporting.Figures;

/// <summary>A digit image with its correct label and, where a network saw it, the prediction and its probability.</summary>
public sealed record LabeledDigit(GrayImage Image, string Label, string? Prediction = null, double Confidence = double.NaN)
{
    public bool IsMiss => Prediction is not null && Prediction != Label;
}
