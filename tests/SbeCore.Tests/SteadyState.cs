namespace SbeCore.Tests;

/// <summary>
/// Steady-state allocation, measured robustly. A call that allocates does so on every repetition; the runtime's own
/// transient work (a tier-1 recompile or an on-stack replacement landing while the measured window runs on a loaded
/// machine) shows up in one window and not the next. So the window is measured up to <c>attempts</c> times and the
/// smallest count is returned: 0 only if some whole window allocated nothing at all.
/// </summary>
internal static class SteadyState
{
    /// <summary>Bytes the current thread allocated in the quietest of up to <paramref name="attempts"/> runs of
    /// <paramref name="window"/> (stops at the first run that allocated nothing), with every run's count for messages.</summary>
    public static (long Least, string Runs) AllocatedBytes(Action window, int attempts = 5)
    {
        var runs = new List<long>(attempts);
        for (int i = 0; i < attempts; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            window();
            runs.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (runs[^1] == 0) break;
        }
        return (runs.Min(), string.Join(", ", runs));
    }

    /// <summary>Asserts that some run of <paramref name="window"/> allocated nothing (see <see cref="AllocatedBytes"/>).</summary>
    public static void AssertAllocatesNothing(Action window)
    {
        var (least, runs) = AllocatedBytes(window);
        Assert.True(least == 0, $"every run of the window allocated: {runs} bytes");
    }
}
