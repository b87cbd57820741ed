using System.Buffers.Binary;
using System.IO.Compression;
using SbeCore.Data;
using SbeCore.Tests.IO;

namespace SbeCore.Tests.Data;

/// <summary>Headers that lie about their sizes, gzip bombs and non-regular files: each refused quickly, naming the file.</summary>
public sealed class IdxHostileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-idx-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes) { string p = Path.Combine(_dir, name); File.WriteAllBytes(p, bytes); return p; }

    private static byte[] Header(int magic, params int[] dims)
    {
        var b = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(b, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4 + 4 * d), dims[d]);
        return b;
    }

    [Theory]
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue)] // count x rows x cols overflows 64 bits, rows x cols wraps to 1 in 32
    [InlineData(1, 65536, 65536)]                          // rows x cols wraps to 0 in 32 bits
    [InlineData(2, 1 << 16, 1 << 15)]                      // 2^32: wraps to 0 in 32 bits
    [InlineData(16, 8192, 8193)]                           // just over the payload cap
    public void HeadersWhoseSizesOverflowOrPassTheCapAreRefusedNamingTheFile(int count, int rows, int cols)
    {
        // A payload that a wrapped product would accept (count x 1 byte, or nothing).
        string path = Write("images", [.. Header(IdxReader.ImagesMagic, count, rows, cols), .. new byte[4096]]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public void APayloadLongerOrShorterThanTheHeaderPromisesIsRefused()
    {
        byte[] good = [.. Header(IdxReader.ImagesMagic, 2, 3, 4), .. new byte[24]];
        Assert.Equal(24, IdxReader.ReadImages(Write("ok", good)).Pixels.Length);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("long", [.. good, 0])));
        Assert.Contains("longer than its IDX header promises", e.Message);
        Assert.Contains("long'", e.Message);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(Write("labels", [.. Header(IdxReader.LabelsMagic, 3), 1, 2, 3, 4])));
        Assert.Contains("longer than its IDX header promises", e.Message);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("short", good[..^1])));
        Assert.Contains("truncated", e.Message);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("neg", [.. Header(IdxReader.ImagesMagic, -1, 3, 4)])));
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void AGzipBombIsInflatedOnlyAsFarAsTheHeaderPromises()
    {
        // 64 MiB of zeros behind a header promising 10 images of 28 x 28: about 64 KB on disk.
        string path = Path.Combine(_dir, "bomb.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gz.Write(Header(IdxReader.ImagesMagic, 10, 28, 28));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gz.Write(zeros);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("longer than its IDX header promises", e.Message);
        Assert.Contains(path, e.Message);
        Assert.True(allocated < 4 << 20, $"reading the bomb allocated {allocated:N0} bytes; it must stop after the promised 7,840");
    }

    [Fact]
    public void NonRegularDataFilesAreRefusedWithoutBlocking()
    {
        if (!Hostile.IsUnix) return; // FIFOs and device nodes are Unix objects
        string fifo = Hostile.MakeFifo(Path.Combine(_dir, "images-idx3-ubyte"));
        var thrown = Hostile.ThrowsWithin(() => IdxReader.ReadImages(fifo), fifo);
        Assert.Contains($"'{fifo}' is a FIFO", Assert.IsType<IOException>(thrown).Message);
        // The same through the directory loader (the MNIST-10k layout): a FIFO image file must not hang --data.
        Write("labels-idx1-ubyte", [.. Header(IdxReader.LabelsMagic, 1), 0]);
        thrown = Hostile.ThrowsWithin(() => DataLoader.LoadDirectory(_dir), fifo);
        Assert.Contains("is a FIFO", Assert.IsType<IOException>(thrown).Message);
        Assert.Contains("character device", Assert.Throws<IOException>(() => IdxReader.ReadLabels("/dev/zero")).Message);
        Assert.Contains("is a directory", Assert.Throws<IOException>(() => IdxReader.ReadLabels(_dir)).Message);
        string file = Write("plain", [1]);
        Assert.Contains($"'{file}' is a regular file, not a data directory", Assert.Throws<IOException>(() => DataLoader.LoadDirectory(file)).Message);
    }
}
