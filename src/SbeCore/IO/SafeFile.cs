using System.Runtime.InteropServices;

namespace SbeCore.IO;

/// <summary>
/// The one way SbeCore opens files. Readers accept only regular files (a FIFO, device, socket or directory is refused
/// with its kind named, and the open cannot block) no larger than a cap checked before anything is allocated. Writers
/// replace only regular files (a symbolic link, FIFO, device or directory at the target is refused, never replaced)
/// and write a temporary file in the same folder that is renamed over the target, so the old content survives any failure.
/// </summary>
public static class SafeFile
{
    /// <summary>The kind of <paramref name="path"/> itself (links not followed).</summary>
    public static FileKind KindOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!PosixFiles.Supported)
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        var (kind, _, errno) = PosixFiles.Query(path, followLinks: false);
        return errno == 0 ? kind : FileKind.Missing;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading if it is a regular file (links followed) of at most <paramref name="maxBytes"/>.
    /// <paramref name="what"/> names the file in errors ("tile file", "IDX file").
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing is at the path.</exception>
    /// <exception cref="IOException">The path is not a regular file, or cannot be opened.</exception>
    /// <exception cref="InvalidDataException">The file is larger than <paramref name="maxBytes"/>.</exception>
    public static FileStream OpenRead(string path, long maxBytes, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!PosixFiles.Supported) return OpenReadPortable(path, maxBytes, what);
        // Type first: nothing but a regular file is ever opened...
        var (kind, _, errno) = PosixFiles.Query(path, followLinks: true);
        if (errno != 0) throw Failure(path, what, errno);
        if (kind != FileKind.Regular) throw NotRegular(path, kind, what);
        // ...and the open is non-blocking and re-checked, so a file swapped for a FIFO in between cannot hang or pass.
        var (handle, openErrno) = PosixFiles.OpenReadNonBlocking(path);
        if (handle is null) throw Failure(path, what, openErrno);
        try
        {
            var (openedKind, size) = PosixFiles.Query(handle);
            if (openedKind != FileKind.Regular) throw NotRegular(path, openedKind, what);
            CheckSize(path, size, maxBytes, what);
            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>All bytes of a regular file of at most <paramref name="maxBytes"/> (see <see cref="OpenRead"/>).</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        using var stream = OpenRead(path, maxBytes, what);
        long size = stream.Length; // already checked against the cap
        var bytes = new byte[size];
        stream.ReadExactly(bytes);
        if (stream.ReadByte() >= 0) throw new IOException($"{what} '{path}' grew while it was read.");
        return bytes;
    }

    /// <summary>The UTF-8 text of a regular file of at most <paramref name="maxBytes"/> (see <see cref="OpenRead"/>).</summary>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        using var stream = OpenRead(path, maxBytes, what);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Throws unless <paramref name="path"/> is missing or a regular file (links not followed): what a writer may replace.</summary>
    /// <exception cref="IOException">Something else is there.</exception>
    public static void EnsureReplaceable(string path, string what)
    {
        var kind = KindOf(path);
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw new IOException($"'{path}' is {kind.Describe()}; refusing to replace it with the {what} (give the path of a regular file or of a new one).");
    }

    /// <summary>
    /// Replaces <paramref name="path"/> (missing or a regular file) with the bytes <paramref name="serialize"/> returns,
    /// atomically, through "PATH.tmp-PID-TID" beside it. The path is checked before anything is serialised; temporary files
    /// of writers that were killed mid-save (their pid is gone) are removed first.
    /// </summary>
    public static void SaveAtomically(string path, Func<byte[]> serialize, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(serialize);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
        EnsureReplaceable(full, what);
        StaleTempFiles.Remove(Path.GetDirectoryName(full)!, Path.GetFileName(full) + ".tmp-*", StaleTempFiles.PidOfDashName);
        byte[] bytes = serialize();
        WriteAtomically(full, temp, stream => stream.Write(bytes), what);
    }

    /// <summary>
    /// Writes <paramref name="path"/> atomically: <paramref name="write"/> fills <paramref name="tempPath"/> (created new, in
    /// the target's folder), which is flushed to disk and renamed over the target. The target must be missing or a regular file.
    /// </summary>
    public static void WriteAtomically(string path, string tempPath, Action<Stream> write, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(tempPath);
        ArgumentNullException.ThrowIfNull(write);
        EnsureReplaceable(path, what);
        if (KindOf(tempPath) != FileKind.Missing) File.Delete(tempPath); // our own name: a leftover of this writer, never a link target
        try
        {
            // CreateNew is O_CREAT | O_EXCL: it never follows a link nor opens a FIFO planted at the temporary name.
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static void CheckSize(string path, long size, long maxBytes, string what)
    {
        if (size > maxBytes)
            throw new InvalidDataException($"{what} '{path}' is {size:N0} bytes, more than the {maxBytes:N0}-byte limit.");
    }

    private static IOException NotRegular(string path, FileKind kind, string what)
        => kind == FileKind.Directory
            ? new IOException($"'{path}' is a directory, not a {what}.")
            : new IOException($"'{path}' is {kind.Describe()}, not a regular file; a {what} must be a regular file.");

    private static Exception Failure(string path, string what, int errno) => errno switch
    {
        2 => new FileNotFoundException($"{what} '{path}' does not exist.", path), // ENOENT
        20 => new DirectoryNotFoundException($"{what} '{path}': a folder on the path does not exist or is not a folder."), // ENOTDIR
        13 or 1 => new UnauthorizedAccessException($"{what} '{path}': permission denied."), // EACCES, EPERM
        _ => new IOException($"{what} '{path}' cannot be opened: {Marshal.GetPInvokeErrorMessage(errno)}."),
    };

    private static FileStream OpenReadPortable(string path, long maxBytes, string what)
    {
        if (Directory.Exists(path)) throw NotRegular(path, FileKind.Directory, what);
        if (!File.Exists(path)) throw Failure(path, what, 2);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        try { CheckSize(path, stream.Length, maxBytes, what); return stream; }
        catch { stream.Dispose(); throw; }
    }
}
