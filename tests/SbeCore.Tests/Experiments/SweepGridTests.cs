using SbeCore.Experiments;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

public class SweepGridTests
{
    private static SweepGrid Grid() => new(
        [UpdateMethod.Sgd, UpdateMethod.MiniBatch, UpdateMethod.TruncatedSvd, UpdateMethod.Sbe],
        SweepGrid.PowersOfTwo(1, 1024), [1, 4], ["ideal", "ecram"], [1, 2]);

    [Fact]
    public void GridHoldsEachCellOnceSgdOnlyAtBatchOneAndRanksOnlyForSvdAndSbe()
    {
        var cells = Grid().Cells;
        // per device and seed: sgd (1) + minibatch (11) + svd-1, svd-4, sbe-1, sbe-4 (4 x 11) = 56
        Assert.Equal(2 * 2 * 56, cells.Count);
        Assert.Equal(cells.Count, cells.Select(c => c.Key).Distinct().Count());
        Assert.All(cells.Where(c => c.Method == UpdateMethod.Sgd), c => Assert.Equal(1, c.BatchSize));
        Assert.All(cells.Where(c => !SweepGrid.HasRank(c.Method)), c => Assert.Equal(1, c.Rank));
        Assert.Contains(cells, c => c.Key == "sbe-4_b01024_ecram_s2");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(500)] // more shards than cells: some shards are empty, still a partition
    public void ShardsPartitionTheGridExactly(int n)
    {
        var grid = Grid();
        var seen = new Dictionary<string, int>();
        for (int i = 0; i < n; i++)
            foreach (var c in grid.Shard(i, n)) seen[c.Key] = seen.GetValueOrDefault(c.Key) + 1;
        Assert.Equal(grid.Cells.Count, seen.Count);
        Assert.All(seen.Values, count => Assert.Equal(1, count));
        Assert.Equal(grid.Cells.Select(c => c.Key).Order(), seen.Keys.Order());
        // balanced: sizes differ by at most one
        var sizes = Enumerable.Range(0, n).Select(i => grid.Shard(i, n).Count).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void ShardsAreDeterministicAcrossIndependentlyBuiltGrids()
    {
        for (int i = 0; i < 5; i++)
            Assert.Equal(Grid().Shard(i, 5).Select(c => c.Key), Grid().Shard(i, 5).Select(c => c.Key));
        var grid = Grid();
        Assert.Equal("sgd_b00001_ideal_s1", grid.Cells[0].Key);
        Assert.Equal(grid.Cells[5].Key, grid.Shard(0, 5)[1].Key);
        Assert.Equal(grid.Cells[5 + 3].Key, grid.Shard(3, 5)[1].Key);
    }

    [Theory]
    [InlineData("0/1", true, 0, 1)]
    [InlineData("3/8", true, 3, 8)]
    [InlineData("8/8", false, 0, 0)]
    [InlineData("-1/4", false, 0, 0)]
    [InlineData("1/0", false, 0, 0)]
    [InlineData("2", false, 0, 0)]
    [InlineData("a/b", false, 0, 0)]
    public void ParsesShardSpecs(string text, bool ok, int index, int count)
    {
        Assert.Equal(ok, SweepGrid.TryParseShard(text, out int i, out int n));
        if (ok) { Assert.Equal(index, i); Assert.Equal(count, n); }
    }

    [Fact]
    public void BadAxesAndShardsThrow()
    {
        Assert.Throws<ArgumentException>(() => new SweepGrid([], [1], [1], ["ideal"], [1]));
        Assert.Throws<ArgumentException>(() => new SweepGrid([UpdateMethod.Sbe], [0], [1], ["ideal"], [1]));
        Assert.Throws<ArgumentException>(() => new SweepGrid([UpdateMethod.Sbe], [1], [0], ["ideal"], [1]));
        Assert.Throws<ArgumentException>(() => new SweepGrid([UpdateMethod.Sbe], [1], [1], [" "], [1]));
        Assert.Throws<ArgumentException>(() => new SweepGrid([UpdateMethod.Sbe], [1], [1], ["ideal"], []));
        Assert.Throws<ArgumentException>(() => Grid().Shard(3, 3));
        Assert.Throws<ArgumentException>(() => Grid().Shard(0, 0));
    }

    [Fact]
    public void PowersOfTwoSpanTheRange() => Assert.Equal([4, 8, 16, 32], SweepGrid.PowersOfTwo(3, 63));
}
