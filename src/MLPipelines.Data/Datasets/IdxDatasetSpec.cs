namespace MLPipelines.Data.Datasets;

/// <summary>An MNIST-layout data set: four IDX files, the mirrors that serve them, and its class names.</summary>
public sealed record IdxDatasetSpec(
    string Name,
    string Folder,
    IReadOnlyList<string> Mirrors,
    IdxFileSpec TrainImages,
    IdxFileSpec TrainLabels,
    IdxFileSpec TestImages,
    IdxFileSpec TestLabels,
    IReadOnlyList<string> ClassNames)
{
    public IEnumerable<IdxFileSpec> Files => [TrainImages, TrainLabels, TestImages, TestLabels];

    public (IdxFileSpec Images, IdxFileSpec Labels) Split(DataSplit split) =>
        split == DataSplit.Train ? (TrainImages, TrainLabels) : (TestImages, TestLabels);
}

public enum DataSplit { Train, Test }
