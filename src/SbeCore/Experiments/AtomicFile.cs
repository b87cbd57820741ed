namespace SbeCore.Experiments;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a half-written file:
/// write a uniquely named temporary file in the same directory, flush it to disk, then rename it over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Suffix of temporary files; finished files never end with it.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (same-directory rename).</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Unique per process and call, so concurrent shards writing into one folder never share a temp file.
        string temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
