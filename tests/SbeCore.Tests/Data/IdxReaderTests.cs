using System.Buffers.Binary;
using System.IO.Compression;
using SbeCore.Data;

namespace SbeCore.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] ImageFile(int count, int rows, int cols, int magic = IdxReader.ImagesMagic)
    {
        var b = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(b, magic);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), cols);
        for (int i = 16; i < b.Length; i++) b[i] = (byte)(i * 7);
        return b;
    }

    private static byte[] LabelFile(int count, int magic = IdxReader.LabelsMagic)
    {
        var b = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(b, magic);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), count);
        for (int i = 0; i < count; i++) b[8 + i] = (byte)(i % 10);
        return b;
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(raw);
        return ms.ToArray();
    }

    private string Write(string name, byte[] bytes) { string p = Path.Combine(_dir, name); File.WriteAllBytes(p, bytes); return p; }

    [Fact]
    public void RawAndGzippedFilesReadTheSame()
    {
        byte[] raw = ImageFile(3, 2, 4);
        var a = IdxReader.ReadImages(Write("raw", raw));
        var b = IdxReader.ReadImages(Write("zipped.bin", Gzip(raw))); // detected by magic, not name
        Assert.Equal((3, 2, 4), (a.Count, a.Rows, a.Cols));
        Assert.Equal(raw.AsSpan(16).ToArray(), a.Pixels);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(IdxReader.ReadLabels(Write("l", LabelFile(5))), IdxReader.ReadLabels(Write("l.gz", Gzip(LabelFile(5)))));
    }

    [Fact]
    public void TruncatedFilesGiveInvalidDataException()
    {
        byte[] raw = ImageFile(3, 2, 4);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("t", raw.AsSpan(0, raw.Length - 1).ToArray())));
        Assert.Contains("truncated", e.Message);
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("h", raw.AsSpan(0, 10).ToArray())));
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(Write("lt", LabelFile(5).AsSpan(0, 12).ToArray())));
        byte[] gz = Gzip(ImageFile(50, 28, 28));
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("gt", gz.AsSpan(0, gz.Length / 2).ToArray())));
    }

    [Fact]
    public void WrongMagicGivesInvalidDataException()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("l-as-i", LabelFile(5))));
        Assert.Contains("magic", e.Message);
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(Write("i-as-l", ImageFile(2, 2, 2))));
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("bad", ImageFile(2, 2, 2, magic: 0x0903))));
    }

    [Fact]
    public void DirectoryLoaderReadsStandardNamesAndRejectsCountMismatch()
    {
        Write("train-images-idx3-ubyte.gz", Gzip(ImageFile(6, 28, 28)));
        Write("train-labels-idx1-ubyte", LabelFile(6));
        Write("t10k-images-idx3-ubyte", ImageFile(4, 28, 28));
        Write("t10k-labels-idx1-ubyte.gz", Gzip(LabelFile(4)));
        var split = DataLoader.LoadDirectory(_dir);
        Assert.Equal(6, split.Train.Count);
        Assert.Equal(4, split.Test.Count);
        Assert.Equal(784, split.Train.Features);
        Assert.All(split.Train.Images, v => Assert.InRange(v, 0f, 1f));

        Write("t10k-labels-idx1-ubyte.gz", Gzip(LabelFile(3)));
        var e = Assert.Throws<InvalidDataException>(() => DataLoader.LoadDirectory(_dir));
        Assert.Contains("4 images but 3 labels", e.Message);
        File.Delete(Path.Combine(_dir, "t10k-labels-idx1-ubyte.gz"));
        Assert.Throws<FileNotFoundException>(() => DataLoader.LoadDirectory(_dir));
        Assert.Throws<DirectoryNotFoundException>(() => DataLoader.LoadDirectory(Path.Combine(_dir, "nope")));
    }

    [Fact]
    public void EmbeddedMnist10kLoadsAs8000Plus2000()
    {
        var split = DataLoader.LoadDefault();
        Assert.Equal(8000, split.Train.Count);
        Assert.Equal(2000, split.Test.Count);
        Assert.Equal(784, split.Train.Features);
        Assert.Equal(10, split.Train.ClassCount);
        Assert.All(split.Test.Labels, y => Assert.InRange(y, 0, 9));
        float max = split.Train.Images.Max();
        Assert.Equal(1f, max);
        Assert.True(split.Train.Labels.Distinct().Count() == 10);
    }
}
