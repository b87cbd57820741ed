using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Tests.Kernels;

namespace SbeCore.Tests.Crossbar;

/// <summary>The ConstantStep block step and the pulse-mask builder at every width (Vector512, Vector256, Vector128,
/// scalar): bit-identical weights, counters and masks, and no allocation in steady state.</summary>
public class ConstantStepWidthTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    // Every width this process runs, widest first, scalar last.
    private static readonly IReadOnlyList<SimdWidth> BlockWidths = SimdDispatch.Available;

    private static void UpdateAt(SimdWidth width, CrossbarTile tile, float lr, float[] d, float[] x)
    {
        using (SimdDispatch.Force(width)) tile.Update(lr, d, x);
    }

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
        CrossbarTile[] tiles = BlockWidths.Select(_ => new CrossbarTile(rows, cols, config, 9)).ToArray();
        var rng = new Xoshiro256(5);
        for (int t = 0; t < 12; t++)
        {
            float[] d = TileTestHelpers.Uniform(ref rng, rows), x = TileTestHelpers.Uniform(ref rng, cols);
            if (t % 3 == 0) x[1] = 0;
            if (t % 2 == 0) Array.Clear(x, Math.Min(16, cols - 1), Math.Max(0, Math.Min(24, cols - 16))); // whole blocks without pulses
            if (t % 4 == 1) d[0] = 0;
            for (int v = 0; v < tiles.Length; v++) UpdateAt(BlockWidths[v], tiles[v], t % 2 == 0 ? 0.01f : -0.01f, d, x);
        }
        CrossbarTile scalar = tiles[^1];
        Assert.True(scalar.Counters.TotalPulses > 0);
        Assert.True(scalar.Counters.ClippedPulses > 0, "the narrow bounds must be hit");
        for (int v = 0; v < tiles.Length - 1; v++)
        {
            string what = $"width {BlockWidths[v]}";
            Assert.True(tiles[v].Weights.ToArray().SequenceEqual(scalar.Weights.ToArray()), what + ": weights");
            Assert.True(tiles[v].Counters.PulsesPerDevice.ToArray().SequenceEqual(scalar.Counters.PulsesPerDevice.ToArray()), what + ": pulses per device");
            Assert.Equal(scalar.Counters.ClippedPulses, tiles[v].Counters.ClippedPulses);
            Assert.Equal(scalar.Counters.TotalPulses, tiles[v].Counters.TotalPulses);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void MaskBuilderMatchesTheDefinitionOnEveryWidth(Width width)
    {
        var rng = new Xoshiro256(6);
        foreach (var (lines, bl) in new[] { (1, 1), (17, 1), (37, 31), (64, 64), (5, 100), (130, 7) })
        {
            int padded = PulseMasks.PaddedLines(lines), words = PulseMasks.WordsPerLine(bl);
            var draws = new uint[PulseMasks.Draws(lines, bl)];
            for (int i = 0; i < draws.Length; i++) draws[i] = (uint)rng.NextUInt64();
            var thresholds = new uint[padded];
            for (int l = 0; l < lines; l++)
                thresholds[l] = (l % 6) switch
                {
                    0 => 0, // p = 0: never fires
                    1 => uint.MaxValue, // p >= 1: every slot, even a draw of 2^32 - 1
                    2 => draws[l], // a tie: a draw equal to the threshold is not below it
                    _ => (uint)rng.NextUInt64(),
                };
            if (lines > 1) draws[1] = uint.MaxValue; // slot 0 of line 1 (threshold MaxValue) must still fire
            var expected = new ulong[lines * words];
            for (int l = 0; l < lines; l++)
                for (int t = 0; t < bl; t++)
                    if (thresholds[l] == uint.MaxValue || draws[t * padded + l] < thresholds[l]) expected[l * words + (t >> 6)] |= 1UL << (t & 63);
            var actual = Enumerable.Repeat(ulong.MaxValue, lines * words).ToArray(); // stale bits must be cleared
            switch (width)
            {
                case Width.V512: PulseMasks.Build512(draws, thresholds, lines, bl, actual); break;
                case Width.V256: PulseMasks.Build256(draws, thresholds, lines, bl, actual); break;
                case Width.V128: PulseMasks.Build128(draws, thresholds, lines, bl, actual); break;
                default: PulseMasks.BuildScalar(draws, thresholds, lines, bl, actual); break;
            }
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void SparseWritesPulseOnlyFiringColumnsCountExactlyAndAllocateNothing()
    {
        // One input in 20 non-zero: fewer than one column in eight fires, so the one-by-one path runs.
        var tile = new CrossbarTile(30, 200, TileConfig.GokmenVlasov(), seed: 4);
        var rng = new Xoshiro256(8);
        float[] d = TileTestHelpers.Uniform(ref rng, 30), x = new float[200];
        for (int j = 0; j < x.Length; j += 20) x[j] = 0.5f + 0.5f * rng.NextSingle();
        float[] before = tile.Weights.ToArray();
        for (int w = 0; w < 50; w++) tile.Update(w % 2 == 0 ? 0.05f : -0.05f, d, x);
        float[] after = tile.Weights.ToArray();
        long[] pulses = tile.Counters.PulsesPerDevice.ToArray();
        for (int k = 0; k < after.Length; k++)
        {
            bool silent = x[k % 200] == 0;
            if (silent) { Assert.Equal(before[k], after[k]); Assert.Equal(0, pulses[k]); }
        }
        Assert.True(pulses.Count(p => p > 0) > 30, "the firing columns got pulses");
        Assert.Equal(pulses.Sum(), tile.Counters.TotalPulses);
        Assert.True(after.Where((v, k) => v != before[k]).Any());
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 20; i++) { tile.Update(0.05f, d, x); tile.Update(-0.05f, d, x); } });
    }

    // The fused blocks count pulses in float lanes folded into the 64-bit counters on every read and before 2^24 could
    // be reached (TileCounters); folded often here, the counts stay those of the scalar path, which counts directly.
    [Fact]
    public void PendingPulseCountsFoldIntoTheCountersExactly()
    {
        var config = new TileConfig { Device = new ConstantStepDevice { DwMinStd = 0.3f }, Update = new UpdateConfig { DesiredBl = 31, UpdateBlManagement = false } };
        var fused = new CrossbarTile(48, 64, config, 4);
        var scalar = new CrossbarTile(48, 64, config, 4);
        fused.Counters.MaxPendingWrites = 5;
        var rng = new Xoshiro256(8);
        for (int t = 0; t < 20; t++)
        {
            float[] dk = TileTestHelpers.Uniform(ref rng, 3 * 48), xk = TileTestHelpers.Uniform(ref rng, 3 * 64);
            float[] s = [1f, -0.5f, 0.75f];
            UpdateAt(BlockWidths[0], fused, 0.02f, dk.AsSpan(0, 48).ToArray(), xk.AsSpan(0, 64).ToArray());
            UpdateAt(SimdWidth.Scalar, scalar, 0.02f, dk.AsSpan(0, 48).ToArray(), xk.AsSpan(0, 64).ToArray());
            using (SimdDispatch.Force(BlockWidths[0])) fused.UpdateRankK(0.02f, s, dk, xk);
            using (SimdDispatch.Force(SimdWidth.Scalar)) scalar.UpdateRankK(0.02f, s, dk, xk);
            if (t % 7 == 3) Assert.True(fused.Counters.PulsesPerDevice.SequenceEqual(scalar.Counters.PulsesPerDevice), $"after {t + 1} rounds");
        }
        Assert.True(BlockWidths[0] == SimdWidth.Scalar || fused.Counters.PendingFolds > 3, $"{fused.Counters.PendingFolds} folds");
        Assert.True(fused.Counters.PulsesPerDevice.SequenceEqual(scalar.Counters.PulsesPerDevice));
        Assert.Equal(scalar.Counters.TotalPulses, fused.Counters.TotalPulses);
        Assert.Equal(scalar.Counters.MaxPulsesPerDevice, fused.Counters.MaxPulsesPerDevice);
        Assert.True(fused.Weights.ToArray().SequenceEqual(scalar.Weights.ToArray()));
    }

    [Fact]
    public void SteadyStateUpdatesAllocateNothingAtEveryBlockWidth()
    {
        var config = new TileConfig { Device = new ConstantStepDevice { WMax = 0.05f, WMin = -0.03f }, Update = new UpdateConfig { UpdateBlManagement = false } };
        CrossbarTile[] tiles = BlockWidths.Select(_ => new CrossbarTile(24, 70, config, 3)).ToArray();
        var rng = new Xoshiro256(7);
        float[] d = TileTestHelpers.Uniform(ref rng, 24), x = TileTestHelpers.Uniform(ref rng, 70);
        void Run()
        {
            for (int v = 0; v < tiles.Length; v++) { UpdateAt(BlockWidths[v], tiles[v], 0.05f, d, x); UpdateAt(BlockWidths[v], tiles[v], -0.05f, d, x); }
        }
        for (int i = 0; i < 20; i++) Run();
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 20; i++) Run(); });
        Assert.True(tiles[0].Counters.ClippedPulses > 0, "the clipping lane path must run too");
    }
}
