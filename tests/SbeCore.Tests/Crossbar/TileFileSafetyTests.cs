using SbeCore.Crossbar;
using SbeCore.Tests.IO;
using FileKind = global::SbeCore.IO.FileKind;
using SafeFile = global::SbeCore.IO.SafeFile;

namespace SbeCore.Tests.Crossbar;

/// <summary>Tile save/load against hostile paths: devices, FIFOs, links, folders, oversized files, killed writers.</summary>
public sealed class TileFileSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-tile-safety-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static CrossbarTile Tile() => new(3, 4, new TileConfig(), 5);

    [Fact]
    public void LoadRefusesDevicesFifosAndFoldersSayingWhatTheyAre()
    {
        if (!Hostile.IsUnix) return; // FIFOs and device nodes are Unix objects
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<IOException>(() => CrossbarTile.Load("/dev/zero"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "nothing may be read from /dev/zero");
        Assert.Contains("'/dev/zero' is a character device", e.Message);
        Assert.Contains("is a directory", Assert.Throws<IOException>(() => CrossbarTile.Load(_dir)).Message);
        string fifo = Hostile.MakeFifo(P("fifo.sbt"));
        var thrown = Hostile.ThrowsWithin(() => CrossbarTile.Load(fifo), fifo);
        Assert.Contains("is a FIFO", Assert.IsType<IOException>(thrown).Message);
    }

    [Fact]
    public void LoadChecksTheSizeCapBeforeReading()
    {
        using (var f = File.Create(P("huge.sbt"))) f.SetLength(CrossbarTile.MaxFileBytes + 1); // sparse
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => CrossbarTile.Load(P("huge.sbt")));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("limit", e.Message);
        Assert.Contains("huge.sbt", e.Message);
    }

    [Fact]
    public void LoadErrorsNameTheFile()
    {
        File.WriteAllBytes(P("junk.sbt"), new byte[64]);
        Assert.Contains("junk.sbt", Assert.Throws<InvalidDataException>(() => CrossbarTile.Load(P("junk.sbt"))).Message);
    }

    [Fact]
    public void SaveRefusesLinksFifosAndDevicesAndLosesNothing()
    {
        if (!Hostile.IsUnix) return; // FIFOs and device nodes are Unix objects
        var tile = Tile();
        tile.Save(P("victim.sbt"));
        byte[] original = File.ReadAllBytes(P("victim.sbt"));
        File.CreateSymbolicLink(P("link.sbt"), P("victim.sbt"));
        string fifo = Hostile.MakeFifo(P("fifo.sbt"));
        var other = new CrossbarTile(2, 2, new TileConfig(), 9);
        foreach (string target in new[] { P("link.sbt"), fifo, "/dev/null", _dir })
        {
            var thrown = Hostile.ThrowsWithin(() => other.Save(target));
            Assert.Contains("refusing to replace it", Assert.IsType<IOException>(thrown).Message);
        }
        Assert.Equal(original, File.ReadAllBytes(P("victim.sbt")));
        Assert.Equal(FileKind.SymbolicLink, SafeFile.KindOf(P("link.sbt")));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp*"));
    }

    [Fact]
    public void SaveRemovesTemporaryFilesOfKilledWriters()
    {
        string stale = P($"t.sbt.tmp-{Hostile.DeadPid}-1"), live = P($"t.sbt.tmp-{Environment.ProcessId}-999999");
        File.WriteAllBytes(stale, new byte[1000]);
        File.WriteAllBytes(live, new byte[10]);
        Tile().Save(P("t.sbt"));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live)); // a writer of a live process may still be busy with it
        Assert.Equal(Tile().Weights.ToArray(), CrossbarTile.Load(P("t.sbt")).Weights.ToArray());
    }
}
