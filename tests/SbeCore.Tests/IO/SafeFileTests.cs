using SbeCore.IO;

namespace SbeCore.Tests.IO;

public sealed class SafeFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-safefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void ReadsRegularFilesAndLinksToThem()
    {
        File.WriteAllText(P("a"), "hello");
        Assert.Equal("hello", SafeFile.ReadAllText(P("a"), 100, "test file"));
        File.CreateSymbolicLink(P("link"), P("a"));
        Assert.Equal("hello"u8.ToArray(), SafeFile.ReadAllBytes(P("link"), 100, "test file"));
        Assert.Equal(FileKind.SymbolicLink, SafeFile.KindOf(P("link")));
        Assert.Equal(FileKind.Regular, SafeFile.KindOf(P("a")));
        Assert.Equal(FileKind.Missing, SafeFile.KindOf(P("none")));
        Assert.Throws<FileNotFoundException>(() => SafeFile.ReadAllBytes(P("none"), 100, "test file"));
    }

    [Fact]
    public void RefusesDirectoriesDevicesAndFifosWithoutBlocking()
    {
        if (!Hostile.IsUnix) return; // FIFOs and device nodes are Unix objects
        var e = Assert.Throws<IOException>(() => SafeFile.ReadAllBytes(_dir, 100, "test file"));
        Assert.Contains($"'{_dir}' is a directory", e.Message);
        e = Assert.Throws<IOException>(() => SafeFile.ReadAllBytes("/dev/zero", long.MaxValue, "test file"));
        Assert.Contains("'/dev/zero' is a character device", e.Message);
        string fifo = Hostile.MakeFifo(P("fifo"));
        var thrown = Hostile.ThrowsWithin(() => SafeFile.ReadAllBytes(fifo, 100, "test file"), fifo);
        Assert.Contains($"'{fifo}' is a FIFO", Assert.IsType<IOException>(thrown).Message);
        Assert.Equal(FileKind.Fifo, SafeFile.KindOf(fifo));
    }

    [Fact]
    public void RefusesFilesOverTheCapBeforeReading()
    {
        using (var f = File.Create(P("big"))) f.SetLength(1L << 40); // sparse: nothing is really written
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => SafeFile.ReadAllBytes(P("big"), 1000, "test file"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the cap must be checked before allocating");
        Assert.Contains("1,000-byte limit", e.Message);
        Assert.Contains(P("big"), e.Message);
    }

    [Fact]
    public void WritersReplaceOnlyRegularFiles()
    {
        if (!Hostile.IsUnix) return; // FIFOs and device nodes are Unix objects
        File.WriteAllText(P("victim"), "keep me");
        File.CreateSymbolicLink(P("link"), P("victim"));
        string fifo = Hostile.MakeFifo(P("fifo"));
        foreach (string target in new[] { P("link"), fifo, "/dev/null", _dir })
        {
            var thrown = Hostile.ThrowsWithin(() => SafeFile.WriteAtomically(target, P("tmp"), s => s.WriteByte(1), "test file"));
            Assert.Contains("refusing to replace it", Assert.IsType<IOException>(thrown).Message);
            Assert.Contains($"'{target}'", thrown.Message);
        }
        Assert.Equal(FileKind.SymbolicLink, SafeFile.KindOf(P("link")));
        Assert.Equal(FileKind.Fifo, SafeFile.KindOf(fifo));
        Assert.Equal(FileKind.CharacterDevice, SafeFile.KindOf("/dev/null"));
        Assert.Equal("keep me", File.ReadAllText(P("victim")));
        Assert.False(File.Exists(P("tmp")));

        SafeFile.WriteAtomically(P("victim"), P("tmp"), s => s.Write("new"u8), "test file");
        Assert.Equal("new", File.ReadAllText(P("victim")));
    }

    [Fact]
    public void AFailedWriteKeepsTheOldContentAndLeavesNoTemporaryFile()
    {
        File.WriteAllText(P("f"), "old");
        Assert.Throws<InvalidOperationException>(() => SafeFile.WriteAtomically(P("f"), P("f.tmp"), _ => throw new InvalidOperationException("disk full"), "test file"));
        Assert.Equal("old", File.ReadAllText(P("f")));
        Assert.False(File.Exists(P("f.tmp")));
    }

    [Fact]
    public void StaleTemporaryFilesOfDeadWritersAreRemovedLiveOnesKept()
    {
        File.WriteAllText(P($"t.sbt.tmp-{Hostile.DeadPid}-7"), "stale");
        File.WriteAllText(P($"t.sbt.tmp-{Environment.ProcessId}-7"), "ours, in flight");
        File.WriteAllText(P("t.sbt.tmp-notapid"), "not ours to judge");
        File.WriteAllText(P($"c.json.{Hostile.DeadPid}.0123abcd.tmp"), "stale");
        File.WriteAllText(P($"c.json.{Environment.ProcessId}.0123abcd.tmp"), "live");
        Assert.Equal(1, StaleTempFiles.Remove(_dir, "t.sbt.tmp-*", StaleTempFiles.PidOfDashName));
        Assert.Equal(1, StaleTempFiles.Remove(_dir, "*.tmp", StaleTempFiles.PidOfDotName));
        Assert.Equal(
            new[] { $"c.json.{Environment.ProcessId}.0123abcd.tmp", $"t.sbt.tmp-{Environment.ProcessId}-7", "t.sbt.tmp-notapid" }.Order(),
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }
}
