namespace SbeCore.Tests;

public class SteadyStateTests
{
    private static object? s_sink;

    [Fact]
    public void AWindowThatAllocatesEveryTimeIsReportedInEveryRun()
    {
        var (least, runs) = SteadyState.AllocatedBytes(() => s_sink = new byte[1000]);
        Assert.True(least >= 1000, runs);
        Assert.Equal(5, runs.Split(", ").Length); // it never found a quiet run, so it tried all five
        Assert.Throws<Xunit.Sdk.TrueException>(() => SteadyState.AssertAllocatesNothing(() => s_sink = new int[4]));
    }

    [Fact]
    public void AQuietWindowStopsAtTheFirstRun()
    {
        int calls = 0;
        var (least, runs) = SteadyState.AllocatedBytes(() => calls++);
        Assert.Equal(0, least);
        string[] each = runs.Split(", ");
        Assert.Equal("0", each[^1]);           // usually the only run; an earlier one can catch the runtime's own work
        Assert.Equal(each.Length, calls);
    }
}
