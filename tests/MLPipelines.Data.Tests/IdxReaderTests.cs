using System.Security.Cryptography;
using MLPipelines.Data.Datasets;
using MLPipelines.Data.Idx;
using MLPipelines.Tests.Support;

namespace MLPipelines.Data.Tests;

[TestClass]
public sealed class IdxReaderTests
{
    [TestMethod]
    public void ReadsRawAndGzippedFilesAlike()
    {
        using var dir = new TempDir();
        byte[] raw = IdxFiles.Images(3, 4, 5, fill: 9);
        File.WriteAllBytes(dir.File("a"), raw);
        File.WriteAllBytes(dir.File("a.gz"), IdxFiles.Gzip(raw));

        var plain = IdxReader.Read(dir.File("a"));
        var gz = IdxReader.Read(dir.File("a.gz"));

        CollectionAssert.AreEqual(new[] { 3, 4, 5 }, plain.Shape);
        CollectionAssert.AreEqual(plain.Data, gz.Data);
        Assert.AreEqual(60, plain.Data.Length);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(raw)), gz.Sha256);
    }

    [TestMethod]
    public void RejectsBadMagicNumber()
    {
        byte[] raw = IdxFiles.Images(1);
        raw[0] = 0x12;
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Parse(raw, "x"));
        StringAssert.Contains(e.Message, "magic");
    }

    [TestMethod]
    public void RejectsTruncatedData()
    {
        byte[] raw = IdxFiles.Images(2);
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Parse(raw[..^10], "x"));
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void RejectsTruncatedHeader()
    {
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Parse([0, 0, 8, 3, 0, 0], "x"));
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void RejectsTrailingBytes()
    {
        byte[] raw = [.. IdxFiles.Labels(1, 2, 3), 0];
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Parse(raw, "x"));
        StringAssert.Contains(e.Message, "trailing");
    }

    [TestMethod]
    public void RejectsUnsupportedElementType()
    {
        byte[] raw = IdxFiles.Build(0x0D, [1], [0, 0, 0, 0]);
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Parse(raw, "x"));
        StringAssert.Contains(e.Message, "type");
    }

    [TestMethod]
    public void RejectsTruncatedGzipFile()
    {
        using var dir = new TempDir();
        byte[] gz = IdxFiles.Gzip(IdxFiles.Images(50));
        File.WriteAllBytes(dir.File("t.gz"), gz[..(gz.Length / 2)]);
        Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(dir.File("t.gz")));
    }

    [TestMethod]
    public void RejectsCorruptGzipFile()
    {
        using var dir = new TempDir();
        byte[] gz = IdxFiles.Gzip(IdxFiles.Images(50));
        for (int i = 20; i < 60; i++) gz[i] ^= 0x5A;
        File.WriteAllBytes(dir.File("c.gz"), gz);
        Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(dir.File("c.gz")));
    }

    [TestMethod]
    public void LoaderRejectsImageAndLabelCountMismatch()
    {
        using var dir = new TempDir();
        var spec = KnownDatasets.Custom(dir.Path);
        File.WriteAllBytes(dir.File(spec.TestImages.Name), IdxFiles.Images(3));
        File.WriteAllBytes(dir.File(spec.TestLabels.Name), IdxFiles.Labels(1, 2));
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxDatasetLoader.Load(spec, dir.Path, DataSplit.Test));
        StringAssert.Contains(e.Message, "3 images but");
    }

    [TestMethod]
    public void LoaderRejectsLabelsOutsideTheClasses()
    {
        using var dir = new TempDir();
        var spec = KnownDatasets.Custom(dir.Path);
        File.WriteAllBytes(dir.File(spec.TestImages.Name), IdxFiles.Images(2));
        File.WriteAllBytes(dir.File(spec.TestLabels.Name), IdxFiles.Labels(1, 12));
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxDatasetLoader.Load(spec, dir.Path, DataSplit.Test));
        StringAssert.Contains(e.Message, "label 12");
    }

    [TestMethod]
    public void LoaderRejectsAFileWhoseChecksumIsWrong()
    {
        using var dir = new TempDir();
        var spec = KnownDatasets.Mnist;
        // Well-formed, but not MNIST's content.
        File.WriteAllBytes(dir.File(spec.TestImages.Name), IdxFiles.Images(2));
        File.WriteAllBytes(dir.File(spec.TestLabels.Name), IdxFiles.Labels(1, 2));
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxDatasetLoader.Load(spec, dir.Path, DataSplit.Test));
        StringAssert.Contains(e.Message, "checksum");
    }

    [TestMethod]
    public void CustomDataSetsLoadWithoutChecksums()
    {
        using var dir = new TempDir();
        var spec = KnownDatasets.Custom(dir.Path);
        File.WriteAllBytes(dir.File(spec.TrainImages.GzipName), IdxFiles.Gzip(IdxFiles.Images(4, fill: 200)));
        File.WriteAllBytes(dir.File(spec.TrainLabels.GzipName), IdxFiles.Gzip(IdxFiles.Labels(0, 1, 2, 3)));
        var set = IdxDatasetLoader.Load(spec, dir.Path, DataSplit.Train);
        Assert.AreEqual(4, set.Count);
        Assert.AreEqual(28, set.Height);
        Assert.AreEqual(200, set.Image(3)[100]);
    }

    [TestMethod]
    [RequiresData("mnist")]
    public void RealMnistLoadsAndVerifies()
    {
        string folder = TestData.Mnist;
        var status = IdxDatasetLoader.Check(KnownDatasets.Mnist, folder);
        Assert.IsTrue(status.All(s => s.Ok && s.Checksum == ChecksumResult.Verified), string.Join("; ", status));

        var train = IdxDatasetLoader.Load(KnownDatasets.Mnist, folder, DataSplit.Train);
        var test = IdxDatasetLoader.Load(KnownDatasets.Mnist, folder, DataSplit.Test);
        Assert.AreEqual(60000, train.Count);
        Assert.AreEqual(10000, test.Count);
        Assert.AreEqual(28, test.Width);
        Assert.AreEqual(5, train.Labels[0]);  // MNIST's first training digit is a 5
        Assert.AreEqual(7, test.Labels[0]);   // and its first test digit a 7
    }

    [TestMethod]
    public void ARecompressedCopyOfAnMd5OnlySetIsUnverifiedButUsable()
    {
        using var dir = new TempDir();
        byte[] labels = IdxFiles.Labels(1, 2, 3);
        byte[] served = IdxFiles.Gzip(labels);
        var spec = new IdxFileSpec("t10k-labels-idx1-ubyte", GzipMd5: Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(served)), Shape: [3]);

        File.WriteAllBytes(dir.File(spec.GzipName), served);
        Assert.AreEqual(ChecksumResult.Verified, Check(spec, dir.File(spec.GzipName)));

        // Same content, another compressor's bytes (or raw): the MD5 cannot say, the shape can.
        using (var m = new MemoryStream())
        {
            using (var gz = new System.IO.Compression.GZipStream(m, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true)) gz.Write(labels);
            File.WriteAllBytes(dir.File(spec.GzipName), m.ToArray());
        }
        Assert.AreEqual(ChecksumResult.Unverified, Check(spec, dir.File(spec.GzipName)));
        File.WriteAllBytes(dir.File(spec.Name), labels);
        Assert.AreEqual(ChecksumResult.Unverified, Check(spec, dir.File(spec.Name)));

        // The wrong shape is not the data set, whatever the checksum.
        File.WriteAllBytes(dir.File(spec.Name), IdxFiles.Labels(1, 2));
        Assert.AreEqual(ChecksumResult.Mismatch, Check(spec, dir.File(spec.Name)));
    }

    [TestMethod]
    public void AGzipBombIsRefusedWithoutInflatingIt()
    {
        using var dir = new TempDir();
        // The header promises 3 labels; 200 MB of zeros follow, a few hundred KB compressed.
        using (var file = File.Create(dir.File("bomb.gz")))
        using (var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.SmallestSize))
        {
            gz.Write(IdxFiles.Labels(1, 2, 3));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) gz.Write(zeros);
        }
        long before = GC.GetTotalAllocatedBytes();
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(dir.File("bomb.gz")));
        StringAssert.Contains(e.Message, "trailing data");
        Assert.IsLessThan(16L << 20, GC.GetTotalAllocatedBytes() - before, "not inflated into memory");

        // A header that claims more than any array can hold is refused before allocating.
        var huge = IdxFiles.Build(0x08, [1_000_000, 1000, 1000], []);
        e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Parse(huge, "huge"));
        StringAssert.Contains(e.Message, "limit");
    }

    private static ChecksumResult Check(IdxFileSpec spec, string path) => IdxDatasetLoader.Verify(spec, path, IdxReader.Read(path));
}
