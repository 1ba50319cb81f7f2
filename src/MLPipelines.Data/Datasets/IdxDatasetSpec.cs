namespace MLPipelines.Data.Datasets;

/// <summary>
/// An MNIST-layout data set: four IDX files, the mirrors that serve them, and its class names. A data set known by
/// name lives in <see cref="Folder"/> under the data root; one given as a folder has that folder as its
/// <see cref="Location"/>, no mirrors and no checksums.
/// </summary>
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
    /// <summary>The absolute folder of a data set given as a path; null for one found under the data root by name.</summary>
    public string? Location { get; init; }

    public IEnumerable<IdxFileSpec> Files => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>True when some checksum is known, so that its files can be verified.</summary>
    public bool Verifiable => Files.Any(f => f.HasChecksum);

    /// <summary>What a run records to find the data set again: its name, or its folder.</summary>
    public string Reference => Location ?? Name;

    public (IdxFileSpec Images, IdxFileSpec Labels) Split(DataSplit split) =>
        split == DataSplit.Train ? (TrainImages, TrainLabels) : (TestImages, TestLabels);
}

public enum DataSplit { Train, Test }
