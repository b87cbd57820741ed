using SbeCore.IO;

namespace SbeCore.Experiments;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a half-written file:
/// write a uniquely named temporary file in the same directory, flush it to disk, then rename it over the target
/// (<see cref="SafeFile.WriteAtomically"/>: only a regular file is ever replaced).
/// </summary>
public static class AtomicFile
{
    /// <summary>Suffix of temporary files ("NAME.PID.GUID.tmp"); finished files never end with it.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Largest text file the experiment stores read back (16 MiB): a cell, a tuning entry.</summary>
    public const long MaxReadBytes = 16L << 20;

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (same-directory rename).</summary>
    /// <exception cref="IOException">The path holds something other than a regular file (link, FIFO, device, folder).</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Unique per process and call, so concurrent shards writing into one folder never share a temp file.
        string temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}";
        SafeFile.WriteAtomically(full, temp, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        }, "file");
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (same-directory rename).</summary>
    /// <exception cref="IOException">The path holds something other than a regular file (link, FIFO, device, folder).</exception>
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        SafeFile.WriteAtomically(full, $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}", stream => stream.Write(bytes.Span), "file");
    }

    /// <summary>Removes "*.PID.GUID.tmp" files in <paramref name="directory"/> left by killed writers (pid gone); returns how many.</summary>
    public static int RemoveStaleTempFiles(string directory)
        => StaleTempFiles.Remove(directory, "*" + TempSuffix, StaleTempFiles.PidOfDotName);
}
