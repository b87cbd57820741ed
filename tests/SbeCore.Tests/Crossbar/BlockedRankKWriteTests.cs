using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Kernels;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.ThreadedPulsedWriteTests;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

/// <summary>
/// A rank-k write prepares its rank-1 writes first and runs them row block by row block (all of a pass's writes on one
/// block before the next): the same weights, counters and keyed draws as the k writes one after another over the whole
/// tile, for every device, unit cell, pulse type, shape, thread count and SIMD width.
/// </summary>
public class BlockedRankKWriteTests
{
    public static TheoryData<string> Devices => new()
    {
        "ConstantStep", "ConstantStepSparse", "ConstantStepNoiseless", "ConstantStepDI", "LinearStep", "ExpStep", "OneSided", "LongTrain", "WriteNoise", "EcRamRounded", "TikiTaka", "TikiTakaPerWrite", "PowStep", "ReRamSB", "Custom",
    };

    private static TileConfig DeviceConfig(string name) => name switch
    {
        // Transfers every 3 rank-1 writes: a pass must end at each.
        "TikiTakaPerWrite" => TileConfig.TikiTakaEcRam() with { Device = DevicePresets.TikiTakaEcRam() with { UnitsInMbatch = false, TransferEvery = 3 } },
        _ => ConfigFor(name),
    };

    // k writes with scales s (some 0) and some empty inputs (x or d all zero): such writes give no pulses but take
    // their write number, as one-by-one writes do.
    private static (float[] S, float[] D, float[] X) RankK(string name, int rows, int cols, int k, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        float[] s = Uniform(ref rng, k, 2f), d = Uniform(ref rng, k * rows), x = Uniform(ref rng, k * cols);
        if (name == "ConstantStepSparse") for (int i = 0; i < x.Length; i++) if (i % 13 != 0) x[i] = 0;
        if (k >= 7)
        {
            s[2] = 0;
            x.AsSpan(3 * cols, cols).Clear();
            d.AsSpan(5 * rows, rows).Clear();
        }
        return (s, d, x);
    }

    // Writes rank-k batches (and a dense write and a step end between them) through `write`.
    private static CrossbarTile Run(string name, int rows, int cols, int k, int threads, Action<CrossbarTile, float, float[], float[], float[]> write, Action<CrossbarTile>? setup = null)
    {
        var tile = new CrossbarTile(rows, cols, DeviceConfig(name), seed: 17) { Threads = threads, MinVisitsPerThread = 0 };
        setup?.Invoke(tile);
        var rng = new Xoshiro256(5);
        for (int t = 0; t < 3; t++)
        {
            var (s, d, x) = RankK(name, rows, cols, k, (ulong)(11 + t));
            write(tile, t % 2 == 0 ? 0.05f : -0.05f, s, d, x);
            tile.UpdateDense(0.02f, Uniform(ref rng, rows * cols), 2);
            tile.PostUpdateStep();
        }
        return tile;
    }

    private static void Blocked(CrossbarTile tile, float lr, float[] s, float[] d, float[] x) => tile.UpdateRankK(lr, s, d, x);

    // The reference: one rank-1 write per pass, over the whole tile each.
    private static void OneByOne(CrossbarTile tile, float lr, float[] s, float[] d, float[] x)
    {
        tile.WritesPerPass = 1;
        tile.UpdateRankK(lr, s, d, x);
    }

    private static void AssertSameWrites(CrossbarTile expected, CrossbarTile actual, string what)
    {
        AssertSame(expected, actual, what);
        Assert.Equal(expected.PulsedWrites, actual.PulsedWrites);
        Assert.Equal(expected.Counters.RankOneWrites, actual.Counters.RankOneWrites);
        Assert.Equal(expected.LastBl, actual.LastBl);
        Assert.Equal(expected.LastMaxRowProbability, actual.LastMaxRowProbability);
        Assert.Equal(expected.LastMaxColProbability, actual.LastMaxColProbability);
        Assert.Equal(expected.TransferWrites, actual.TransferWrites);
        Assert.Equal(expected.Refreshes, actual.Refreshes);
    }

    [Theory, MemberData(nameof(Devices))]
    public void BlockedWritesGiveTheBitsOfWritesOneByOne(string name)
    {
        // 150 rows: blocks of 64 + 64 + 22 (and parts of 128 + 22 or 64 + 64 + 22); 1 row; 1 column.
        foreach (var (rows, cols) in new[] { (150, 70), (1, 33), (129, 1) })
            foreach (int k in new[] { 1, 2, 7, 100 })
            {
                CrossbarTile reference = Run(name, rows, cols, k, 1, OneByOne);
                if (rows > 1 && cols > 1) Assert.True(reference.Counters.TotalPulses > 0, $"{name} {rows}x{cols} k {k}: pulses");
                foreach (int threads in new[] { 1, 2, 3 })
                    AssertSameWrites(reference, Run(name, rows, cols, k, threads, Blocked), $"{name}, {rows}x{cols}, k {k}, {threads} threads");
                // Passes shorter than k, and blocks of two row groups.
                AssertSameWrites(reference, Run(name, rows, cols, k, 2, Blocked, t => { t.WritesPerPass = 3; t.RowsPerBlock = 128; }), $"{name}, {rows}x{cols}, k {k}, passes of 3, blocks of 128");
            }
    }

    [Theory, MemberData(nameof(Devices))]
    public void BlockedWritesGiveTheSameBitsAtEveryWidth(string name)
    {
        CrossbarTile reference;
        using (SimdDispatch.Force(SimdWidth.Scalar)) reference = Run(name, 150, 70, 7, 1, OneByOne);
        foreach (var width in SimdDispatch.Available)
            using (SimdDispatch.Force(width))
                AssertSameWrites(reference, Run(name, 150, 70, 7, 2, Blocked), $"{name}, {width}");
    }

    // Without a transfer compound's learning-rate bookkeeping (it remembers the rank-k call's lr, not lr s_c), a rank-k
    // write is its k rank-1 writes of lr s_c.
    [Theory]
    [InlineData("ConstantStep")]
    [InlineData("ConstantStepSparse")]
    [InlineData("LinearStep")]
    [InlineData("OneSided")]
    [InlineData("EcRamRounded")]
    public void ARankKWriteIsItsRankOneWrites(string name)
    {
        static void RankOnes(CrossbarTile tile, float lr, float[] s, float[] d, float[] x)
        {
            for (int c = 0; c < s.Length; c++) tile.Update(lr * s[c], d.AsSpan(c * tile.Rows, tile.Rows), x.AsSpan(c * tile.Cols, tile.Cols));
        }
        foreach (int threads in new[] { 1, 3 })
            AssertSameWrites(Run(name, 150, 70, 100, 1, RankOnes), Run(name, 150, 70, 100, threads, Blocked), $"{name}, {threads} threads");
    }

    [Fact]
    public void APassEndsAtEachTransfer()
    {
        var tile = Run("TikiTakaPerWrite", 150, 70, 7, 2, Blocked);
        Assert.Equal(9, tile.Transfers); // 21 rank-1 writes and 3 dense writes counted as 2 each, a transfer every 3
        Assert.True(tile.TransferWrites > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BlockedWritesAllocateNothingInSteadyState(int threads)
    {
        var tile = new CrossbarTile(150, 70, NoisyPreset(), seed: 2) { Threads = threads, MinVisitsPerThread = 0 };
        var (s, d, x) = RankK("ConstantStep", 150, 70, 100, 3);
        var (ss, ds, xs) = RankK("ConstantStepSparse", 150, 70, 7, 4);
        void Write()
        {
            for (int t = 0; t < 3; t++)
            {
                tile.UpdateRankK(t % 2 == 0 ? 0.05f : -0.05f, s, d, x);
                tile.UpdateRankK(0.05f, ss, ds, xs);
            }
        }
        Write();
        long workerBytes = tile.WorkerAllocatedBytes;
        SteadyState.AssertAllocatesNothing(Write);
        Assert.Equal(workerBytes, tile.WorkerAllocatedBytes);
        Assert.True(tile.Counters.TotalPulses > 0);
    }

    // A pass slot a dense write used keeps no trace: a rank-k write whose terms give no pulses (zero rate or a zero
    // vector) after a dense write changes nothing (found by the FsCheck property WeightsNeverLeaveTheirBounds).
    [Theory]
    [InlineData(PulseType.StochasticCompressed)]
    [InlineData(PulseType.DeterministicImplicit)]
    public void AWriteWithoutPulsesAfterADenseWriteChangesNothing(PulseType pulse)
    {
        var tile = new CrossbarTile(5, 37, new TileConfig { Device = new ConstantStepDevice(), Update = new UpdateConfig { PulseType = pulse } }, 1);
        var rng = new Random(2);
        float[] g = new float[5 * 37], d = new float[2 * 5], x = new float[2 * 37];
        for (int i = 0; i < g.Length; i++) g[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() - 0.5f;
        tile.UpdateDense(0.1f, g, 2);
        float[] after = tile.Weights.ToArray();
        long pulses = tile.Counters.TotalPulses;
        tile.UpdateRankK(0f, [1f, -0.5f], d, x);   // a zero rate
        tile.UpdateRankK(0.1f, [1f, -0.5f], d, x); // zero deltas
        Assert.Equal(after, tile.Weights.ToArray());
        Assert.Equal(pulses, tile.Counters.TotalPulses);
        Assert.Equal(2 + 4, tile.Counters.RankOneWrites);
    }

    // Buffers are sized for the longest pulse train when the tile is made: a write whose train is longer than any before
    // (BL management lengthens it with the rate) allocates nothing, however late it comes.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ALongerPulseTrainThanAnyBeforeAllocatesNothing(bool managed)
    {
        var update = new UpdateConfig { UpdateBlManagement = managed, FixedBl = managed, DesiredBl = managed ? 31 : 4 };
        var config = TileConfig.GokmenVlasov() with { Update = update };
        var rng = new Random(5);
        float[] d = new float[120], x = new float[401];
        for (int i = 0; i < d.Length; i++) d[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() - 0.5f;
        // The process's one-time costs (class initialisers, code paths run for the first time) are paid on another tile
        // first: they fell inside the measured write when no test running alongside had paid them (2-4 KB, now and then).
        new CrossbarTile(120, 401, config, 4).Update(5f, d, x);
        // Identical fresh tiles, so the write's own allocations are the same in every trial. The runtime itself now and
        // then allocated a few KB on the thread inside the measured write (1.2-5.6 KB in about one run in seven, with and
        // without tiered compilation), so the fewest over three trials is what the write's own code allocates.
        long fewest = long.MaxValue;
        for (int trial = 0; trial < 3 && fewest != 0; trial++)
        {
            var tile = new CrossbarTile(120, 401, config, 3);
            tile.Update(1e-4f, d, x); // a short train
            int first = tile.LastBl;
            long before = GC.GetAllocatedBytesForCurrentThread();
            tile.Update(5f, d, x); // the longest
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(tile.LastBl > first, $"BL {first} then {tile.LastBl}");
        }
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void TuningIsValidated()
    {
        var tile = new CrossbarTile(4, 4, TileConfig.GokmenVlasov());
        Assert.Throws<ArgumentException>(() => tile.WritesPerPass = 0);
        Assert.Throws<ArgumentException>(() => tile.RowsPerBlock = 32);
        Assert.Throws<ArgumentException>(() => tile.RowsPerBlock = 0);
        tile.RowsPerBlock = 192;
        Assert.Equal(192, tile.RowsPerBlock);
    }
}
