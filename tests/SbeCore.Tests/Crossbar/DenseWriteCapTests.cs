using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Crossbar;

/// <summary>A dense write that asks for more pulses than a row's count buffer holds exactly gives each device 2^24
/// (far past any bound) and counts them exactly.</summary>
public class DenseWriteCapTests
{
    [Theory]
    [InlineData(PulseType.StochasticCompressed)]
    [InlineData(PulseType.DeterministicImplicit)]
    public void AnAbsurdDenseWriteIsCappedAndCountedExactly(PulseType type)
    {
        var config = new TileConfig { Device = new ConstantStepDevice(), Update = new UpdateConfig { PulseType = type } };
        var tile = new CrossbarTile(2, 3, config, seed: 1);
        float[] g = [1e6f, -1e6f, 0f, 2e6f, 1e6f, -3e6f]; // lr 10 / dw_min 0.001: 1e10 pulses asked of each nonzero device
        tile.UpdateDense(10f, g, rankOneEquivalent: 1_000_000_000);
        Assert.Equal(5L << 24, tile.Counters.TotalPulses);
        Assert.InRange(tile.Counters.ClippedPulses, (5L << 24) - 5 * 2000, 5L << 24); // all but the few that reach a bound
        for (int k = 0; k < g.Length; k++)
        {
            if (g[k] == 0) { Assert.Equal(0f, tile.Weights[k]); continue; }
            Assert.Equal(g[k] > 0 ? tile.MinBounds[k] : tile.MaxBounds[k], tile.Weights[k]);
        }
    }
}
