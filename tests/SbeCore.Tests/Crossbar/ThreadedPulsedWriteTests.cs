using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Kernels;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

/// <summary>
/// A pulsed write split over 1, 2 or 3 threads (row blocks of whole 64-row groups: 150 rows give blocks of 128 + 22
/// and of 64 + 64 + 22) gives bit-identical weights and counters, at every SIMD width: every draw is keyed by its row
/// or row group.
/// </summary>
public class ThreadedPulsedWriteTests
{
    private const int Rows = 150, Cols = 70;

    public static TheoryData<string> Configs => new()
    {
        "ConstantStep", "ConstantStepSparse", "ConstantStepNoiseless", "ConstantStepDI", "LinearStep", "ExpStep", "OneSided", "LongTrain", "WriteNoise", "EcRamRounded", "TikiTaka", "PowStep", "ReRamSB", "Custom",
    };

    internal static TileConfig ConfigFor(string name) => name switch
    {
        "ConstantStep" or "ConstantStepSparse" => TileConfig.GokmenVlasov() with { Update = new UpdateConfig { UpdateBlManagement = false } },
        "ConstantStepNoiseless" => TileConfig.GokmenVlasov() with { Device = new ConstantStepDevice { DwMinStd = 0, WMax = 0.05f, WMin = -0.03f } },
        "ConstantStepDI" => TileConfig.GokmenVlasov() with { Update = new UpdateConfig { PulseType = PulseType.DeterministicImplicit } },
        "LinearStep" => TileConfig.EcRam(),
        "ExpStep" => TileConfig.ReRamES(),
        "OneSided" => new TileConfig { Device = DevicePresets.PcmUnitCell() with { RefreshEvery = 2 } },
        "LongTrain" => TileConfig.GokmenVlasov() with { Update = new UpdateConfig { DesiredBl = 200, UpdateBlManagement = false } },
        "WriteNoise" => new TileConfig { Device = new LinearStepDevice { WriteNoiseStd = 0.5f, DwMinStd = 0.3f } },
        "EcRamRounded" => TileConfig.EcRam() with { Update = new UpdateConfig { PulseType = PulseType.ImplicitStochasticRound } },
        "TikiTaka" => TileConfig.TikiTakaEcRam(),
        "PowStep" => new TileConfig { Device = new PowStepDevice() },
        "ReRamSB" => TileConfig.ReRamSB(),
        "Custom" => TileConfig.FromPreset(new LeakyTwoLevelDevice()),
        _ => throw new ArgumentException(name),
    };

    private static CrossbarTile Run(string name, int threads, SimdWidth width)
    {
        var tile = new CrossbarTile(Rows, Cols, ConfigFor(name), seed: 21) { Threads = threads, MinVisitsPerThread = 0 };
        var rng = new Xoshiro256(3);
        using (SimdDispatch.Force(width))
        {
            for (int t = 0; t < 8; t++)
            {
                float[] d = Uniform(ref rng, Rows), x = Uniform(ref rng, Cols);
                if (name == "ConstantStepSparse") for (int j = 0; j < Cols; j++) if (j % 13 != 0) x[j] = 0;
                float lr = t % 2 == 0 ? 0.05f : -0.05f;
                tile.Update(lr, d, x);
                tile.UpdateRankK(lr, [1f, 0.5f], Uniform(ref rng, 2 * Rows), Uniform(ref rng, 2 * Cols));
                tile.UpdateDense(0.02f, Uniform(ref rng, Rows * Cols), 2);
                tile.PostUpdateStep();
            }
        }
        return tile;
    }

    internal static void AssertSame(CrossbarTile expected, CrossbarTile actual, string what)
    {
        Assert.True(expected.Weights.SequenceEqual(actual.Weights), what + ": weights");
        Assert.True(expected.Counters.PulsesPerDevice.SequenceEqual(actual.Counters.PulsesPerDevice), what + ": pulses per device");
        Assert.Equal(expected.Counters.TotalPulses, actual.Counters.TotalPulses);
        Assert.Equal(expected.Counters.ClippedPulses, actual.Counters.ClippedPulses);
        Assert.Equal(expected.Refreshes, actual.Refreshes);
        if (expected.Pair is { } pair)
        {
            foreach (var (e, a) in new[] { (pair.Plus, actual.Pair!.Plus), (pair.Minus, actual.Pair!.Minus) })
            {
                Assert.True(e.Weights.SequenceEqual(a.Weights), what + ": a unit cell device's weights");
                Assert.True(e.Counters.PulsesPerDevice.SequenceEqual(a.Counters.PulsesPerDevice), what + ": a unit cell device's pulses");
                Assert.Equal(e.Counters.TotalPulses, a.Counters.TotalPulses);
                Assert.Equal(e.Counters.ClippedPulses, a.Counters.ClippedPulses);
            }
        }
        if (expected.Transfer is { } transfer)
        {
            foreach (var (e, a) in new[] { (transfer.Fast, actual.Transfer!.Fast), (transfer.Slow, actual.Transfer!.Slow) })
            {
                Assert.True(e.Weights.SequenceEqual(a.Weights), what + ": a transfer compound array's weights");
                Assert.True(e.Counters.PulsesPerDevice.SequenceEqual(a.Counters.PulsesPerDevice), what + ": a transfer compound array's pulses");
                Assert.Equal(e.Counters.TotalPulses, a.Counters.TotalPulses);
                Assert.Equal(e.Counters.ClippedPulses, a.Counters.ClippedPulses);
            }
        }
        Assert.True(expected.PersistentWeights.SequenceEqual(actual.PersistentWeights), what + ": persistent weights");
    }

    [Theory, MemberData(nameof(Configs))]
    public void OneTwoAndThreeThreadsGiveTheSameBitsAtEveryWidth(string name)
    {
        long onWorkers = WorkerPool.Shared.PartsOnWorkers;
        CrossbarTile reference = Run(name, 1, SimdWidth.Scalar);
        Assert.True(reference.Counters.TotalPulses > 0);
        foreach (var width in SimdDispatch.Available)
            foreach (int threads in new[] { 1, 2, 3 })
                AssertSame(reference, Run(name, threads, width), $"{name}, {threads} threads, {width}");
        Assert.True(WorkerPool.Shared.PartsOnWorkers > onWorkers, "some row blocks ran on worker threads");
        if (name == "LongTrain") Assert.True(reference.LastBl > 64, "multi-word masks");
        if (name == "OneSided") Assert.True(reference.Refreshes > 0, "the unit cell refreshed");
        if (name.StartsWith("ConstantStep") || name == "LongTrain") Assert.True(reference.Counters.ClippedPulses > 0, "clipping ran");
    }

    [Fact]
    public void SplitWritesAllocateNothingInSteadyState()
    {
        var tile = new CrossbarTile(64, 80, NoisyPreset(), seed: 2) { Threads = 3, MinVisitsPerThread = 0 };
        var rng = new Xoshiro256(1);
        float[] d = Uniform(ref rng, 64), x = Uniform(ref rng, 80), g = Uniform(ref rng, 64 * 80);
        float[] sparse = new float[80];
        sparse[5] = 0.7f; sparse[40] = -0.4f;
        void Run()
        {
            for (int t = 0; t < 10; t++)
            {
                tile.Update(0.05f, d, x);
                tile.Update(-0.05f, d, sparse);
                tile.UpdateDense(0.02f, g, 2);
            }
        }
        Run();
        long workerBytes = tile.WorkerAllocatedBytes;
        SteadyState.AssertAllocatesNothing(Run);
        Assert.Equal(workerBytes, tile.WorkerAllocatedBytes);
    }

    // Every ConstantStep path gives a device with pulses the next Gaussian of its row group in column order, so the
    // one-by-one path and the 16-wide blocks give the same bits, and the crossover between them is free to move.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SparseAndBlockPathsGiveTheSameBits(int threads)
    {
        CrossbarTile Run(int ratio)
        {
            var tile = new CrossbarTile(Rows, Cols, NoisyPreset(), seed: 6) { Threads = threads, MinVisitsPerThread = 0, SparseColumnRatio = ratio };
            var rng = new Xoshiro256(4);
            for (int t = 0; t < 10; t++)
            {
                float[] d = Uniform(ref rng, Rows), x = Uniform(ref rng, Cols);
                for (int j = 0; j < Cols; j++) if (j % 3 != 0) x[j] = 0;
                tile.Update(t % 2 == 0 ? 0.05f : -0.05f, d, x);
            }
            return tile;
        }
        CrossbarTile sparse = Run(0), blocks = Run(int.MaxValue);
        Assert.True(sparse.Counters.TotalPulses > 0);
        AssertSame(sparse, blocks, "sparse against blocks");
    }

    // The write count is state: a tile saved mid-run and loaded continues with the same keyed draws; a version 2 file
    // (written before the keyed draws) is refused by its version.
    [Fact]
    public void SavedTilesContinueTheKeyedDrawsAndOldFilesAreRefusedByVersion()
    {
        var config = NoisyPreset();
        var rng = new Xoshiro256(2);
        float[] d = Uniform(ref rng, Rows), x = Uniform(ref rng, Cols);
        var straight = new CrossbarTile(Rows, Cols, config, seed: 8);
        var saved = new CrossbarTile(Rows, Cols, config, seed: 8);
        for (int t = 0; t < 3; t++) { straight.Update(0.05f, d, x); saved.Update(0.05f, d, x); }
        var bytes = new MemoryStream();
        saved.Save(bytes);
        var loaded = CrossbarTile.Load(bytes.ToArray());
        Assert.Equal(3UL, loaded.PulsedWrites);
        for (int t = 0; t < 3; t++) { straight.Update(-0.05f, d, x); loaded.Update(-0.05f, d, x); }
        AssertSame(straight, loaded, "after a save and load");

        byte[] old = bytes.ToArray();
        BitConverter.GetBytes(2u).CopyTo(old, 8); // the version field follows the 8 magic bytes
        var e = Assert.Throws<InvalidDataException>(() => CrossbarTile.Load(old));
        Assert.Contains("version 2 is not supported", e.Message);
    }

    [Fact]
    public void ThreadsAreValidated()
    {
        var tile = new CrossbarTile(4, 4, TileConfig.GokmenVlasov());
        Assert.Throws<ArgumentException>(() => tile.Threads = 0);
        Assert.Throws<ArgumentException>(() => tile.Threads = WorkerPool.MaxParts + 1);
        Assert.Equal(1, tile.Threads);
    }

    [Fact]
    public void ARowGroupsDrawsDoNotDependOnTheOtherRows()
    {
        // The same tile written with d zero outside rows 64..127 (one row group), or nowhere: those rows come out identical.
        var config = TileConfig.GokmenVlasov() with { Update = new UpdateConfig { UpdateBlManagement = false } };
        var all = new CrossbarTile(Rows, Cols, config, seed: 4);
        var group = new CrossbarTile(Rows, Cols, config, seed: 4);
        var rng = new Xoshiro256(9);
        float[] d = Uniform(ref rng, Rows), x = Uniform(ref rng, Cols);
        d[65] = 1.5f; // the largest |d|, so the pulse-train scaling is the same for both
        float[] only = new float[Rows];
        Array.Copy(d, 64, only, 64, 64);
        all.Update(0.1f, d, x);
        group.Update(0.1f, only, x);
        var rows = (64 * Cols)..(128 * Cols);
        Assert.True(all.Weights[rows].SequenceEqual(group.Weights[rows]));
        Assert.False(all.Weights[rows].SequenceEqual(new CrossbarTile(Rows, Cols, config, seed: 4).Weights[rows]), "the group was written");
    }
}
