using SbeCore.Crossbar;
using SbeCore.Experiments;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

public class ImplicitStochasticRoundTests
{
    [Fact]
    public void CountsAreTheImplicitCountRoundedUpWithItsFractionalPart()
    {
        Assert.Equal(2, CrossbarTile.StochasticCount(10, 0.5f, 0.5f, 0.51)); // 2.5: up only for a draw below 1/2
        Assert.Equal(3, CrossbarTile.StochasticCount(10, 0.5f, 0.5f, 0.4));
        Assert.Equal(0, CrossbarTile.StochasticCount(31, 0.1f, 0.1f, 0.5));  // 0.31: kept with probability 0.31
        Assert.Equal(1, CrossbarTile.StochasticCount(31, 0.1f, 0.1f, 0.3));
        Assert.Equal(31, CrossbarTile.StochasticCount(31, 1f, 1f, 0.0));
    }

    [Fact]
    public void MeanChangeIsMinusLrDxTWhereRoundToNearestLosesSmallCounts()
    {
        // Every |lr d x| / dw is below 1/2 pulse: DeterministicImplicit writes nothing, the stochastic rounding writes it
        // on average, within a binomial tolerance.
        const int rows = 5, cols = 6, updates = 4000;
        const float lr = 0.001f, dw = 1f / 1024;
        var rng = new Xoshiro256(7);
        var d = Uniform(ref rng, rows, 0.6f);
        var x = Uniform(ref rng, cols, 0.6f);
        var rounded = new CrossbarTile(rows, cols, Pulsed(CleanConstantStep(dw), PulseType.ImplicitStochasticRound), 3);
        var nearest = new CrossbarTile(rows, cols, Pulsed(CleanConstantStep(dw), PulseType.DeterministicImplicit), 3);
        for (int t = 0; t < updates; t++) { rounded.Update(lr, d, x); nearest.Update(lr, d, x); }
        Assert.Equal(0, nearest.Counters.TotalPulses);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                double q = Math.Abs((double)lr * d[i] * x[j]) / dw; // pulses per update, below 1/2
                Assert.True(q < 0.5);
                double mean = -(double)lr * d[i] * x[j] * updates;
                double sigma = dw * Math.Sqrt(updates * q * (1 - q));
                double z = (rounded.Weights[i * cols + j] - mean) / sigma;
                Assert.True(Math.Abs(z) < 5, $"device ({i},{j}): z = {z:F2}");
            }
    }

    [Fact]
    public void SameSeedSameWeightsAndTheCatalogNamesIt()
    {
        var config = DeviceCatalog.Create("ecram:rounded");
        Assert.Equal(PulseType.ImplicitStochasticRound, config.Update.PulseType);
        var rng = new Xoshiro256(2);
        var d = Uniform(ref rng, 9); var x = Uniform(ref rng, 11);
        var a = new CrossbarTile(9, 11, config, 8); var b = new CrossbarTile(9, 11, config, 8);
        for (int t = 0; t < 50; t++) { a.Update(0.3f, d, x); b.Update(0.3f, d, x); }
        Assert.Equal(a.Weights.ToArray(), b.Weights.ToArray());
        Assert.True(a.Counters.TotalPulses > 0);
        Assert.False(DeviceCatalog.TryCreate("ecram:roundish", out _, out string error));
        Assert.Contains("rounded", error);
    }

    [Fact]
    public void NotTheDefault()
    {
        Assert.Equal(PulseType.StochasticCompressed, new UpdateConfig().PulseType);
        Assert.Equal(PulseType.StochasticCompressed, TileConfig.EcRam().Update.PulseType);
        Assert.Throws<ArgumentException>(() => new UpdateConfig { PulseType = (PulseType)4 }.Validate());
    }
}
