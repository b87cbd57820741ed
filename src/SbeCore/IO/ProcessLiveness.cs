using System.Diagnostics;

namespace SbeCore.IO;

/// <summary>Whether the process that wrote a temporary file or holds a claim is still running.</summary>
public static class ProcessLiveness
{
    /// <summary>
    /// True if a process with <paramref name="pid"/> exists. A reused pid reads as alive: the caller then keeps a stale
    /// file a little longer, which is safe; it never deletes the file of a live writer.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; } // no such process
        catch (InvalidOperationException) { return false; }
    }
}
