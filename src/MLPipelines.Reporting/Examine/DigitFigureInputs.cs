using MLPipelines.Core.Runs;
using MLPipelines.Data.Datasets;

namespace MLPipelines.Reporting.Examine;

/// <summary>
/// What <see cref="DigitFigures.Make"/> draws besides the run's own files: the images it was trained and tested on,
/// and its network's layers and first-layer filters (Training's <c>DigitNetInspection</c> reads them from a model).
/// </summary>
public sealed record DigitFigureInputs(LabeledImages Train, LabeledImages Test, NetworkSummaryData Summary, FilterWeights Filters);
