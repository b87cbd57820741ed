using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

public class LayerRanksTests
{
    private static NetworkOptions Options(int[]? ranks, UpdateMethod method = UpdateMethod.Sbe, int rank = 1) =>
        new() { LayerSizes = [20, 8, 4], Method = method, Rank = rank, LayerRanks = ranks, Seed = 3 };

    private static (float[] images, int[] labels) Batch()
    {
        var rng = new Random(5);
        var images = new float[16 * 20];
        for (int i = 0; i < images.Length; i++) images[i] = (float)rng.NextDouble();
        var labels = new int[16];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % 4;
        return (images, labels);
    }

    [Fact]
    public void EachLayerGetsItsOwnRankAndCountsItsWrites()
    {
        var net = new Network(Options([3, 1]));
        Assert.Equal("sbe-3", net.GetRule(0).Name);
        Assert.Equal("sbe-1", net.GetRule(1).Name);
        var (images, labels) = Batch();
        net.TrainBatch(images, labels, 0.1f);
        Assert.Equal(3, net.GetTile(0).Counters.RankOneWrites);
        Assert.Equal(1, net.GetTile(1).Counters.RankOneWrites);
    }

    [Fact]
    public void RanksAreCappedPerLayerLikeRank()
    {
        var net = new Network(Options([2, 9], UpdateMethod.Lrt));
        Assert.Equal("lrt-2", net.GetRule(0).Name);
        Assert.Equal("lrt-4", net.GetRule(1).Name); // 4 x 9 output layer: min(rows, cols) = 4
    }

    [Fact]
    public void OffByDefaultAndEqualRanksAreBitIdenticalToRank()
    {
        Assert.Null(new NetworkOptions().LayerRanks);
        var a = new Network(Options(null, rank: 2));
        var b = new Network(Options([2, 2]));
        var (images, labels) = Batch();
        for (int t = 0; t < 3; t++) { a.TrainBatch(images, labels, 0.1f); b.TrainBatch(images, labels, 0.1f); }
        for (int l = 0; l < 2; l++) Assert.Equal(a.GetTile(l).Weights.ToArray(), b.GetTile(l).Weights.ToArray());
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 1, 1, 1 })]
    [InlineData(new[] { 2, 0 })]
    public void BadRanksAreRefused(int[] ranks)
    {
        var e = Assert.Throws<ArgumentException>(() => new Network(Options(ranks)));
        Assert.Contains("LayerRanks", e.Message);
    }

    [Fact]
    public void ACheckpointRefusesPerLayerRanks()
    {
        var net = new Network(Options([2, 1]));
        Assert.Throws<NotSupportedException>(() => net.Save(new MemoryStream()));
    }
}
