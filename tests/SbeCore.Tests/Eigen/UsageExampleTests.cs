using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Updates;

namespace SbeCore.Tests.Eigen;

/// <summary>The usage section of docs/estimator.md, line for line (with random data), so the example stays true.</summary>
public class UsageExampleTests
{
    [Fact]
    public void DocumentedUsageRuns()
    {
        int n = 32;
        var (deltas, xs) = TestData.Gaussian(n, 100, 785, 1);
        var tile = new CrossbarTile(100, 785);

        var est = new SbeEstimator(rows: 100, cols: 785, new EstimatorOptions { Rank = 2, SubBatch = 8 }, seed: 42);
        est.ObserveBatch(deltas, xs, n);
        float[] s = new float[2], d = new float[2 * 100], x = new float[2 * 785];
        est.Estimate(s, d, x);
        Assert.True(s[0] > 0);

        var svd = new BatchSvdSolver(100, 785);
        svd.TopK(deltas, xs, n, s, d, x);
        Assert.True(s[0] >= s[1]);

        IUpdateRule rule = UpdateRuleFactory.Create(UpdateMethod.Sbe, 100, 785, rank: 1, seed: 42);
        rule.Apply(tile, deltas, xs, n, learningRate: 0.1f);
        Assert.Equal("sbe-1: 1 writes, 3544 bytes", $"{rule.Name}: {rule.RankOneWrites} writes, {rule.PeripheralMemoryBytes} bytes");
    }
}
