namespace MLPipelines.Data.Datasets;

/// <summary>
/// The IDX data sets the project knows by name. MNIST's mirrors and their order are torchvision's;
/// its SHA-256 values are of the decompressed files (the standard content; see ../shared/data/mnist).
/// </summary>
public static class KnownDatasets
{
    static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    // The three named sets share MNIST's layout: 60,000 training and 10,000 test images of 28x28.
    static readonly int[] TrainImagesShape = [60_000, 28, 28], TrainLabelsShape = [60_000];
    static readonly int[] TestImagesShape = [10_000, 28, 28], TestLabelsShape = [10_000];

    public static readonly IdxDatasetSpec Mnist = new(
        "mnist", "mnist",
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        new("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", "f68b3c2dcbeaaa9fbdd348bbdeb94873", Shape: TrainImagesShape),
        new("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", "d53e105ee54ea40749a09fcbcd1e9432", Shape: TrainLabelsShape),
        new("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", "9fb629c4189551a2d022fa330f9573f3", Shape: TestImagesShape),
        new("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", "ec29112dd5afa0611ce80d1b7f02629c", Shape: TestLabelsShape),
        Digits);

    public static readonly IdxDatasetSpec FashionMnist = new(
        "fashion-mnist", "fashion-mnist",
        ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        new("train-images-idx3-ubyte", GzipMd5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d", Shape: TrainImagesShape),
        new("train-labels-idx1-ubyte", GzipMd5: "25c81989df183df01b3e8a0aad5dffbe", Shape: TrainLabelsShape),
        new("t10k-images-idx3-ubyte", GzipMd5: "bef4ecab320f06d8554ea6380940ec79", Shape: TestImagesShape),
        new("t10k-labels-idx1-ubyte", GzipMd5: "bb300cfdad3c16e7a12a480ee83cd310", Shape: TestLabelsShape),
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    public static readonly IdxDatasetSpec Kmnist = new(
        "kmnist", "kmnist",
        ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"],
        new("train-images-idx3-ubyte", GzipMd5: "bdb82020997e1d708af4cf47b453dcf7", Shape: TrainImagesShape),
        new("train-labels-idx1-ubyte", GzipMd5: "e144d726b3acfaa3e44228e80efcd344", Shape: TrainLabelsShape),
        new("t10k-images-idx3-ubyte", GzipMd5: "5c965bf0a639b31b8f53240b1b52f4d7", Shape: TestImagesShape),
        new("t10k-labels-idx1-ubyte", GzipMd5: "7320c461ea6c1c855c0b718fb2a4b134", Shape: TestLabelsShape),
        ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]);

    public static IReadOnlyList<IdxDatasetSpec> All { get; } = [Mnist, FashionMnist, Kmnist];

    public static IdxDatasetSpec Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown data set '{name}' (known: {string.Join(", ", All.Select(d => d.Name))})");

    public static IdxDatasetSpec? Find(string name) =>
        All.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A data set that is not known by name, in <paramref name="folder"/>: files with the standard names, no checksums,
    /// no mirrors. Any IDX data set of MNIST's layout loads this way (see <see cref="IdxDatasetResolver"/>, which finds
    /// its class names); <paramref name="classNames"/> defaults to ten classes named 0..9.
    /// </summary>
    public static IdxDatasetSpec Custom(string folder, IReadOnlyList<string>? classNames = null)
    {
        string full = Path.GetFullPath(folder);
        return new IdxDatasetSpec(
            Path.GetFileName(Path.TrimEndingDirectorySeparator(full)), full, [],
            new(Mnist.TrainImages.Name), new(Mnist.TrainLabels.Name), new(Mnist.TestImages.Name), new(Mnist.TestLabels.Name),
            classNames ?? Digits) { Location = full };
    }
}
