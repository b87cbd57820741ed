using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

// The transfer compound's contract beyond the aihwkit fixtures (Fidelity/TransferFidelityTests): its read weight,
// schedule, counters, data form, persistence and refusals.
public class TransferCompoundTests
{
    private static readonly ConstantStepDevice s_exact = new()
    {
        DwMin = 0.01f, DwMinDtod = 0, DwMinStd = 0, UpDownDtod = 0, WMax = 1f, WMin = -1f, WMaxDtod = 0, WMinDtod = 0,
    };

    private static TileConfig Config(TransferCompound cell) => new() { Device = cell, Update = TileConfig.PresetUpdate() };

    private static void Train(CrossbarTile tile, int steps, int seed)
    {
        var rng = new Xoshiro256((ulong)seed);
        for (int t = 0; t < steps; t++)
        {
            tile.Update(0.1f, Uniform(ref rng, tile.Rows), Uniform(ref rng, tile.Cols));
            tile.PostUpdateStep();
        }
    }

    [Fact]
    public void TheReadWeightIsGammaAPlusC()
    {
        var tile = new CrossbarTile(5, 7, Config(new TransferCompound { FastDevice = s_exact, SlowDevice = s_exact with { DwMin = 0.02f }, Gamma = 0.3f }), 2);
        Train(tile, 30, 1);
        var fast = tile.Transfer!.Fast.Weights; var slow = tile.Transfer!.Slow.Weights;
        Assert.Contains(fast.ToArray(), w => w != 0);
        Assert.Contains(slow.ToArray(), w => w != 0);
        for (int k = 0; k < 35; k++) Assert.Equal(0.3f * fast[k] + slow[k], tile.Weights[k]);
        Assert.Equal(0.3f * -1f + -1f, tile.MinBounds[0]);
        Assert.Equal(0.3f * 1f + 1f, tile.MaxBounds[0]);
    }

    [Fact]
    public void SettingWeightsPutsThemOnCAndRestartsTheSchedule()
    {
        var tile = new CrossbarTile(2, 3, Config(new TransferCompound { FastDevice = s_exact, SlowDevice = s_exact, Gamma = 0.5f, GammaVec = (0.5f, 2f) }), 2);
        Train(tile, 4, 1);
        Assert.Equal(4, tile.Transfers);
        tile.SetWeights([0.2f, -0.4f, 0, 1.5f, -2f, 3f]);
        Assert.Equal(0, tile.Transfer!.Slice);
        Assert.Equal([0, 0, 0, 0, 0, 0], tile.Transfer.Fast.Weights.ToArray());
        Assert.Equal([0.1f, -0.2f, 0, 0.75f, -1f, 1f], tile.Transfer.Slow.Weights.ToArray()); // w / 2, clipped to C's bounds
        Assert.Equal([0.2f, -0.4f, 0, 1.5f, -2f, 2f], tile.Weights.ToArray());
    }

    [Theory]
    [InlineData(1f, true, 10, 10)]   // once per optimizer step
    [InlineData(3f, true, 10, 3)]
    [InlineData(0.5f, true, 10, 20)] // two per step
    [InlineData(0f, true, 10, 0)]
    [InlineData(4f, false, 10, 5)]   // every 4 rank-1 writes: 10 steps of 2 writes
    public void TransfersFollowTheSchedule(float every, bool unitsInMbatch, int steps, int expected)
    {
        var cell = new TransferCompound { FastDevice = s_exact, SlowDevice = s_exact, TransferEvery = every, UnitsInMbatch = unitsInMbatch, NReadsPerTransfer = 2 };
        var tile = new CrossbarTile(3, 5, Config(cell), 1);
        var rng = new Xoshiro256(3);
        for (int t = 0; t < steps; t++)
        {
            tile.UpdateRankK(0.1f, [1f, 0.5f], Uniform(ref rng, 6), Uniform(ref rng, 10));
            tile.PostUpdateStep();
        }
        Assert.Equal(expected, tile.Transfers);
        Assert.Equal(expected * 2, tile.TransferWrites);            // one rank-1 write per column read
        Assert.Equal(steps * 2, tile.Counters.RankOneWrites);       // the gradient writes only
        Assert.Equal(expected * 2 % 5, tile.Transfer!.Slice);        // columns in order, wrapping
        Assert.True(expected == 0 || tile.TransferPulses > 0);
    }

    [Fact]
    public void FastLrSetsTheGradientPulsesAndTheTransferUsesTheOptimizersRate()
    {
        var d = new float[] { 0.5f, -0.25f }; var x = new float[] { 1f, 0.5f, -1f };
        var scaled = new CrossbarTile(2, 3, Config(new TransferCompound { FastDevice = s_exact, SlowDevice = s_exact, FastLr = 0.5f }), 1);
        var fixedLr = new CrossbarTile(2, 3, Config(new TransferCompound { FastDevice = s_exact, SlowDevice = s_exact, FastLr = 0.1f, ScaleFastLr = false }), 1);
        var plain = new CrossbarTile(2, 3, Config(new TransferCompound { FastDevice = s_exact, SlowDevice = s_exact, FastLr = 0 }), 1);
        scaled.Update(0.2f, d, x); fixedLr.Update(7f, d, x); plain.Update(0.1f, d, x);
        Assert.Equal(0.1f, new TransferCompound { FastLr = 0.5f }.PulseCountLearningRate(0.2f));
        Assert.Equal(0.1f, new TransferCompound { FastLr = 0.1f, ScaleFastLr = false }.PulseCountLearningRate(7f));
        Assert.Equal(0.1f, new TransferCompound { FastLr = 0 }.PulseCountLearningRate(0.1f));
        // All three write with pulse-count learning rate 0.1 from the same seed: the same pulses on A.
        Assert.Equal(plain.Transfer!.Fast.Weights.ToArray(), scaled.Transfer!.Fast.Weights.ToArray());
        Assert.Equal(plain.Transfer!.Fast.Weights.ToArray(), fixedLr.Transfer!.Fast.Weights.ToArray());
        Assert.Equal(7f, fixedLr.Transfer!.LearningRate);
    }

    [Fact]
    public void SameSeedSameResultAndSaveLoadContinuesBitIdentically()
    {
        var config = TileConfig.TikiTakaEcRam() with { Device = DevicePresets.TikiTakaEcRam() with { WithResetProb = 0.3f, Gamma = 0.1f } };
        var a = new CrossbarTile(6, 9, config, 4); var b = new CrossbarTile(6, 9, config, 4);
        Train(a, 20, 7); Train(b, 20, 7);
        Assert.Equal(a.Weights.ToArray(), b.Weights.ToArray());
        var saved = new MemoryStream();
        a.Save(saved);
        var c = CrossbarTile.Load(saved.ToArray());
        Assert.Equal(config, c.Config);
        Train(a, 15, 8); Train(c, 15, 8);
        Assert.Equal(a.Weights.ToArray(), c.Weights.ToArray());
        Assert.Equal(a.Transfer!.Fast.Weights.ToArray(), c.Transfer!.Fast.Weights.ToArray());
        Assert.Equal(a.Transfers, c.Transfers);
        Assert.Equal(a.TransferWrites, c.TransferWrites);
        Assert.Equal(35, c.Transfers);
    }

    public static TheoryData<string, Func<TileConfig>> InvalidCells => new()
    {
        { "FastDevice", () => Config(new TransferCompound { FastDevice = null! }) },
        { "DwMin", () => Config(new TransferCompound { SlowDevice = new LinearStepDevice { DwMin = 0 } }) },
        { "Gamma", () => Config(new TransferCompound { Gamma = float.NaN }) },
        { "GammaVec", () => Config(new TransferCompound { GammaVec = (1f, 0f) }) },
        { "TransferEvery", () => Config(new TransferCompound { TransferEvery = -1 }) },
        { "NReadsPerTransfer", () => Config(new TransferCompound { NReadsPerTransfer = 0 }) },
        { "TransferLr", () => Config(new TransferCompound { TransferLr = -0.1f }) },
        { "FastLr", () => Config(new TransferCompound { FastLr = float.PositiveInfinity }) },
        { "WithResetProb", () => Config(new TransferCompound { WithResetProb = 1.5f }) },
        { "WithResetProb", () => Config(new TransferCompound { WithResetProb = 0.5f, TransferColumns = false }) },
        { "TransferUpdate", () => Config(new TransferCompound { TransferUpdate = new UpdateConfig { PulseType = PulseType.None } }) },
        { "Update", () => new TileConfig { Device = new TransferCompound(), Update = new UpdateConfig { PulseType = PulseType.None } } },
    };

    [Theory]
    [MemberData(nameof(InvalidCells))]
    public void InvalidCellsAreRefusedByName(string parameter, Func<TileConfig> config)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new CrossbarTile(3, 3, config(), 1));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void TheDataFormHoldsTwoDevicesAndRefusesWhatIsNotImplemented()
    {
        var config = Config(new TransferCompound { FastDevice = new LinearStepDevice { GammaUp = 0.2f }, SlowDevice = new SoftBoundsDevice(), Gamma = 0.2f, TransferEvery = 2.5f });
        string json = TileConfigJson.Write(config);
        Assert.Contains("\"unit_cell_devices\": [", json);
        Assert.Equal(config, TileConfigJson.Parse(json));
        var one = TileConfigJson.Parse("""{"device": {"type": "TransferCompound", "unit_cell_devices": [{"type": "LinearStepDevice", "dw_min": 0.003}]}, "update": {}}""");
        var cell = Assert.IsType<TransferCompound>(one.Device);
        Assert.Equal(cell.FastDevice, cell.SlowDevice);
        Assert.Equal(0.003f, cell.SlowDevice.DwMin);
        foreach (string name in ConfigSchema.TransferCompoundNotImplemented)
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => TileConfigJson.Parse("{\"device\": {\"type\": \"TransferCompound\", \"" + name + "\": 1}}"));
            Assert.Equal($"device.{name}", e.ParamName);
            Assert.Contains("not implemented", e.Message);
        }
        Assert.Equal("device.unit_cell_devices", Assert.ThrowsAny<ArgumentException>(() => TileConfigJson.Parse(
            """{"device": {"type": "TransferCompound", "unit_cell_devices": [{"type": "ConstantStepDevice"}, {"type": "ConstantStepDevice"}, {"type": "ConstantStepDevice"}]}}""")).ParamName);
        Assert.Equal("device.unit_cell_devices[1].type", Assert.ThrowsAny<ArgumentException>(() => TileConfigJson.Parse(
            """{"device": {"type": "TransferCompound", "unit_cell_devices": [{"type": "ConstantStepDevice"}, {"type": "IdealDevice"}]}}""")).ParamName);
        // A path sets both devices: refused when they differ, applied to both when they are equal.
        Assert.Equal("device.unit_cell_devices", Assert.ThrowsAny<ArgumentException>(() => TileConfigPaths.Set(config, "dw_min", "0.01")).ParamName);
        var same = TileConfigPaths.Set(TileConfig.TikiTakaEcRam(), "dw_min", "0.004");
        var both = Assert.IsType<TransferCompound>(same.Device);
        Assert.Equal(0.004f, both.FastDevice.DwMin);
        Assert.Equal(both.FastDevice, both.SlowDevice);
        Assert.Equal("0.004", TileConfigPaths.Get(same, "device.unit_cell_devices.dw_min"));
    }

    [Fact]
    public void PresetsMatchAihwkits()
    {
        var ecram = Assert.IsType<TransferCompound>(TileConfig.Preset("tiki-taka-ecram").Device);
        Assert.Equal(DevicePresets.EcRam(), ecram.FastDevice);
        Assert.Equal(DevicePresets.EcRam(), ecram.SlowDevice);
        Assert.True(ecram.UnitsInMbatch && ecram.TransferEvery == 1 && ecram.NReadsPerTransfer == 1 && ecram.Gamma == 0);
        Assert.Equal(NoiseManagement.None, ecram.TransferForward.NoiseManagement);
        Assert.Equal(BoundManagement.None, ecram.TransferForward.BoundManagement);
        Assert.Equal(TileConfig.PresetIO() with { NoiseManagement = NoiseManagement.None, BoundManagement = BoundManagement.None }, ecram.TransferForward);
        Assert.Equal(TileConfig.PresetUpdate(), ecram.TransferUpdate);
        var sb = Assert.IsType<TransferCompound>(TileConfig.Preset("TikiTakaReRamSB").Device);
        Assert.Equal(DevicePresets.ReRamSB() with { SubtractSymmetryPoint = true }, sb.SlowDevice);
    }
}
