using System.Diagnostics;

namespace SbeCore.Tests.IO;

/// <summary>Hostile file-system objects for tests: FIFOs, links, dead pids; and a guard so a hang fails instead of blocking the run.</summary>
internal static class Hostile
{
    /// <summary>A pid no process has (above Linux's largest pid_max, 2^22).</summary>
    public const int DeadPid = 2_000_000_000;

    public static bool IsUnix => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>Creates a FIFO with mkfifo(1).</summary>
    public static string MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="action"/> and returns what it threw; fails if it has not finished within 5 s (a blocked open).
    /// A blocked FIFO open is released by opening the FIFO's write end, so the stuck thread ends.
    /// </summary>
    public static Exception? ThrowsWithin(Action action, string? fifoToRelease = null)
    {
        var task = Task.Factory.StartNew(() =>
        {
            try { action(); return null; }
            catch (Exception e) { return e; }
        }, TaskCreationOptions.LongRunning);
        if (!task.Wait(TimeSpan.FromSeconds(5)))
        {
            if (fifoToRelease is not null) using (new FileStream(fifoToRelease, FileMode.Open, FileAccess.Write)) { }
            Assert.Fail("the call blocked for 5 s (it opened a FIFO without a writer?)");
        }
        return task.Result;
    }
}
