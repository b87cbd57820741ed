using System.Globalization;
using SbeCore.IO;

namespace SbeCore.Experiments;

/// <summary>
/// A claim on one sweep cell, so several sweep processes writing into one folder share the cells instead of each
/// computing all of them. The claim is "{key}.lock" in the cell folder, held open with an exclusive OS lock (flock on
/// Unix): the kernel drops the lock when its process dies, so the claim of a killed sweep is free again at once and
/// the cell is redone by whoever comes next. The file names the holder's pid for people looking at the folder.
/// </summary>
public sealed class CellClaim : IDisposable
{
    /// <summary>Suffix of claim files.</summary>
    public const string Suffix = ".lock";

    private readonly FileStream _lock;

    private CellClaim(FileStream held, string path) { _lock = held; Path = path; }

    /// <summary>The claim file.</summary>
    public string Path { get; }

    /// <summary>Claims <paramref name="cell"/> in <paramref name="store"/>, or returns null at once if a live process holds it.</summary>
    /// <exception cref="IOException">The claim path holds something other than a regular file.</exception>
    public static CellClaim? TryAcquire(CellStore store, SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(cell);
        string path = System.IO.Path.Combine(store.Directory, cell.Key + Suffix);
        SafeFile.EnsureReplaceable(path, "cell claim");
        FileStream stream;
        // FileShare.None takes flock(LOCK_EX | LOCK_NB): failing means another process holds the cell right now.
        try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0); }
        catch (IOException) when (SafeFile.KindOf(path) == FileKind.Regular) { return null; }
        try
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush();
        }
        catch { stream.Dispose(); throw; }
        return new CellClaim(stream, path);
    }

    /// <summary>Releases the claim and removes its file (a process that opened the old file re-checks the finished result first).</summary>
    public void Dispose()
    {
        try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _lock.Dispose();
    }
}
