namespace SbeCore.IO;

/// <summary>
/// Removes temporary files left by writers that were killed mid-save. Each temporary name carries its writer's pid,
/// so a file is removed only when that process is gone: a concurrent writer's file is never touched.
/// </summary>
public static class StaleTempFiles
{
    /// <summary>
    /// Deletes the regular files in <paramref name="directory"/> matching <paramref name="searchPattern"/> whose writer pid
    /// (parsed by <paramref name="writerPid"/> from the file name; null = not a temporary file) is no longer running.
    /// Returns how many were removed. Never throws for a file that vanishes or cannot be removed.
    /// </summary>
    public static int Remove(string directory, string searchPattern, Func<string, int?> writerPid)
    {
        ArgumentNullException.ThrowIfNull(writerPid);
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(directory, searchPattern).ToList(); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        foreach (string path in candidates)
        {
            int? pid = writerPid(Path.GetFileName(path));
            if (pid is not int p || ProcessLiveness.IsAlive(p) || SafeFile.KindOf(path) != FileKind.Regular) continue;
            try { File.Delete(path); removed++; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>The pid in "NAME.tmp-PID-TID" (the tile writer's temporary name), or null.</summary>
    public static int? PidOfDashName(string fileName)
    {
        int at = fileName.LastIndexOf(".tmp-", StringComparison.Ordinal);
        if (at < 0) return null;
        string[] parts = fileName[(at + 5)..].Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out int pid) && int.TryParse(parts[1], out _) ? pid : null;
    }

    /// <summary>The pid in "NAME.PID.GUID.tmp" (<see cref="Experiments.AtomicFile"/>'s temporary name), or null.</summary>
    public static int? PidOfDotName(string fileName)
    {
        if (!fileName.EndsWith(".tmp", StringComparison.Ordinal)) return null;
        string[] parts = fileName[..^4].Split('.');
        return parts.Length >= 3 && int.TryParse(parts[^2], out int pid) ? pid : null;
    }
}
