using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;
using SbeCore.Tests.Kernels;

namespace SbeCore.Tests.Crossbar;

/// <summary>The ConstantStep block step and the pulse-mask builder at every width (Vector512, Vector256, Vector128,
/// scalar): bit-identical weights, counters and masks, and no allocation in steady state.</summary>
public class ConstantStepWidthTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    private static readonly int[] BlockWidths = [512, 256, 128, 0];

    [Theory]
    [InlineData(512, 512, 0.3f, 31)]
    [InlineData(64, 80, 0.3f, 31)]
    [InlineData(37, 45, 0.3f, 31)]
    [InlineData(20, 33, 0f, 31)]
    [InlineData(17, 50, 0.2f, 64)]
    [InlineData(9, 16, 0.5f, 7)]
    public void EveryBlockWidthGivesTheScalarPathsWeightsAndCounters(int rows, int cols, float std, int bl)
    {
        var device = new ConstantStepDevice { DwMinStd = std, WMax = 0.05f, WMin = -0.03f };
        var config = new TileConfig { Device = device, Update = new UpdateConfig { DesiredBl = bl, UpdateBlManagement = false } };
        CrossbarTile[] tiles = BlockWidths.Select(w => new CrossbarTile(rows, cols, config, 9) { MaxBlockWidth = w }).ToArray();
        var rng = new Xoshiro256(5);
        for (int t = 0; t < 12; t++)
        {
            float[] d = TileTestHelpers.Uniform(ref rng, rows), x = TileTestHelpers.Uniform(ref rng, cols);
            if (t % 3 == 0) x[1] = 0;
            if (t % 2 == 0) Array.Clear(x, Math.Min(16, cols - 1), Math.Max(0, Math.Min(24, cols - 16))); // whole blocks without pulses
            if (t % 4 == 1) d[0] = 0;
            foreach (CrossbarTile tile in tiles) tile.Update(t % 2 == 0 ? 0.01f : -0.01f, d, x);
        }
        CrossbarTile scalar = tiles[^1];
        Assert.True(scalar.Counters.TotalPulses > 0);
        Assert.True(scalar.Counters.ClippedPulses > 0, "the narrow bounds must be hit");
        for (int v = 0; v < tiles.Length - 1; v++)
        {
            string what = $"MaxBlockWidth {BlockWidths[v]}";
            Assert.True(tiles[v].Weights.ToArray().SequenceEqual(scalar.Weights.ToArray()), what + ": weights");
            Assert.True(tiles[v].Counters.PulsesPerDevice.ToArray().SequenceEqual(scalar.Counters.PulsesPerDevice.ToArray()), what + ": pulses per device");
            Assert.Equal(scalar.Counters.ClippedPulses, tiles[v].Counters.ClippedPulses);
            Assert.Equal(scalar.Counters.TotalPulses, tiles[v].Counters.TotalPulses);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Below16MatchesTheScalarMask(Width width)
    {
        var rng = new Xoshiro256(6);
        var draws = new uint[16];
        for (int trial = 0; trial < 2000; trial++)
        {
            for (int i = 0; i < 16; i++) draws[i] = (uint)rng.NextUInt64();
            uint threshold = trial % 5 == 0 ? draws[trial % 16] : (uint)rng.NextUInt64(); // ties: draw == threshold is not below
            if (trial % 7 == 0) draws[3] = uint.MaxValue;
            ulong expected = 0;
            for (int i = 0; i < 16; i++) if (draws[i] < threshold) expected |= 1UL << i;
            ulong actual = width switch
            {
                Width.V512 => PulseMasks.Below16_512(draws, threshold),
                Width.V256 => PulseMasks.Below16_256(draws, threshold),
                Width.V128 => PulseMasks.Below16_128(draws, threshold),
                _ => PulseMasks.Below16Scalar(draws, threshold),
            };
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void SteadyStateUpdatesAllocateNothingAtEveryBlockWidth()
    {
        var config = new TileConfig { Device = new ConstantStepDevice { WMax = 0.05f, WMin = -0.03f }, Update = new UpdateConfig { UpdateBlManagement = false } };
        CrossbarTile[] tiles = BlockWidths.Select(w => new CrossbarTile(24, 70, config, 3) { MaxBlockWidth = w }).ToArray();
        var rng = new Xoshiro256(7);
        float[] d = TileTestHelpers.Uniform(ref rng, 24), x = TileTestHelpers.Uniform(ref rng, 70);
        void Run() { foreach (CrossbarTile tile in tiles) { tile.Update(0.05f, d, x); tile.Update(-0.05f, d, x); } }
        for (int i = 0; i < 20; i++) Run();
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 20; i++) Run(); });
        Assert.True(tiles[0].Counters.ClippedPulses > 0, "the clipping lane path must run too");
    }
}
