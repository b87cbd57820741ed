using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

public sealed class DeterminismAndPersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-tile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Presets => new() { "GokmenVlasov", "EcRam", "ReRamSB", "ReRamES", "Pcm", "PowStep", "Capacitor", "Retention", "Ideal" };

    private static TileConfig ConfigFor(string name) => name switch
    {
        "GokmenVlasov" => NoisyPreset(),
        "EcRam" => TileConfig.EcRam(),
        "ReRamSB" => TileConfig.ReRamSB() with { Update = new UpdateConfig { PulseType = PulseType.DeterministicImplicit } },
        "ReRamES" => TileConfig.ReRamES(),
        "Pcm" => TileConfig.Pcm(),
        "PowStep" => TileConfig.FromPreset(new PowStepDevice { PowUpDown = 0.1f, PowUpDownDtod = 0.05f }) with { Update = new UpdateConfig { FixedBl = false } },
        "Capacitor" => TileConfig.Capacitor() with { Device = DevicePresets.Capacitor() with { Lifetime = 20f } },
        "Retention" => TileConfig.FromPreset(new SoftBoundsReferenceDevice
        {
            ReferenceStd = 0.05f, SlopeUpDtod = 0.1f, WriteNoiseStd = 3f, Lifetime = 50f, LifetimeDtod = 0.2f, Diffusion = 0.001f, Reset = 0.02f, ResetDtod = 0.01f,
        }),
        _ => new TileConfig(),
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void SameSeedGivesBitIdenticalWeightsAndCounters(string preset)
    {
        var a = new CrossbarTile(9, 13, ConfigFor(preset), 1234);
        var b = new CrossbarTile(9, 13, ConfigFor(preset), 1234);
        ScriptedRun(a, 99); ScriptedRun(b, 99);
        Assert.Equal(a.Weights.ToArray(), b.Weights.ToArray());
        Assert.Equal(a.Counters.PulsesPerDevice.ToArray(), b.Counters.PulsesPerDevice.ToArray());
        Assert.Equal((a.Counters.TotalPulses, a.Counters.ClippedPulses, a.Counters.RankOneWrites), (b.Counters.TotalPulses, b.Counters.ClippedPulses, b.Counters.RankOneWrites));
        if (preset != "Ideal")
        {
            Assert.True(a.Counters.TotalPulses > 0);
            var c = new CrossbarTile(9, 13, ConfigFor(preset), 1235);
            ScriptedRun(c, 99);
            Assert.NotEqual(a.Weights.ToArray(), c.Weights.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void SaveLoadRoundTripContinuesBitIdentically(string preset)
    {
        var tile = new CrossbarTile(6, 11, ConfigFor(preset), 7);
        ScriptedRun(tile, 5, steps: 3);
        string path = Path.Combine(_dir, "tile.sbt");
        tile.Save(path);
        var loaded = CrossbarTile.Load(path);
        Assert.Equal(tile.Config, loaded.Config);
        Assert.Equal(tile.Weights.ToArray(), loaded.Weights.ToArray());
        Assert.Equal(tile.MinBounds.ToArray(), loaded.MinBounds.ToArray());
        Assert.Equal(tile.MaxBounds.ToArray(), loaded.MaxBounds.ToArray());
        Assert.Equal(tile.DeviceParameters.ToArray(), loaded.DeviceParameters.ToArray());
        Assert.Equal(tile.Counters.PulsesPerDevice.ToArray(), loaded.Counters.PulsesPerDevice.ToArray());
        Assert.Equal((tile.Counters.TotalPulses, tile.Counters.ClippedPulses, tile.Counters.RankOneWrites), (loaded.Counters.TotalPulses, loaded.Counters.ClippedPulses, loaded.Counters.RankOneWrites));
        Assert.Equal(tile.PersistentWeights.ToArray(), loaded.PersistentWeights.ToArray());
        Assert.Equal((tile.PostUpdateSteps, tile.Refreshes), (loaded.PostUpdateSteps, loaded.Refreshes));
        ScriptedRun(tile, 6, steps: 3); ScriptedRun(loaded, 6, steps: 3);
        Assert.Equal(tile.Weights.ToArray(), loaded.Weights.ToArray());
        Assert.Equal(tile.Counters.PulsesPerDevice.ToArray(), loaded.Counters.PulsesPerDevice.ToArray());
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp*"));
    }

    [Fact]
    public void SaveOverwritesAtomically()
    {
        string path = Path.Combine(_dir, "tile.sbt");
        var first = new CrossbarTile(3, 3, TileConfig.GokmenVlasov(), 1);
        first.Save(path);
        var second = new CrossbarTile(4, 2, TileConfig.EcRam(), 2);
        second.Save(path);
        var loaded = CrossbarTile.Load(path);
        Assert.Equal((4, 2), (loaded.Rows, loaded.Cols));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void CorruptOrTruncatedFilesThrowInvalidDataAndLeaveTheFileAlone()
    {
        string path = Path.Combine(_dir, "tile.sbt");
        new CrossbarTile(5, 4, TileConfig.ReRamES(), 3).Save(path);
        byte[] good = File.ReadAllBytes(path);

        var cases = new List<(string, byte[])>
        {
            ("empty", []),
            ("header only", good[..12]),
            ("truncated payload", good[..(good.Length / 2)]),
            ("missing checksum", good[..^2]),
            ("padded", [.. good, 0]),
        };
        foreach (int at in new[] { 0, 9, 20, good.Length / 3, good.Length - 1 })
        {
            var flipped = (byte[])good.Clone();
            flipped[at] ^= 0x10;
            cases.Add(($"flip at {at}", flipped));
        }
        foreach (var (name, bytes) in cases)
        {
            string bad = Path.Combine(_dir, "bad.sbt");
            File.WriteAllBytes(bad, bytes);
            var e = Assert.Throws<InvalidDataException>(() => CrossbarTile.Load(bad));
            Assert.False(string.IsNullOrWhiteSpace(e.Message), name);
            Assert.Equal(bytes, File.ReadAllBytes(bad));
        }
        Assert.Equal(5, CrossbarTile.Load(path).Rows);
    }

    [Fact]
    public void CustomDeviceRoundTripsWhenSupplied()
    {
        var model = new LeakyTwoLevelDevice();
        var tile = new CrossbarTile(4, 4, TileConfig.FromPreset(model), 8);
        ScriptedRun(tile, 1, steps: 2);
        string path = Path.Combine(_dir, "custom.sbt");
        tile.Save(path);
        Assert.Throws<ArgumentException>(() => CrossbarTile.Load(path));
        var loaded = CrossbarTile.Load(path, model);
        Assert.Equal(tile.DeviceParameters.ToArray(), loaded.DeviceParameters.ToArray());
        ScriptedRun(tile, 2, steps: 2); ScriptedRun(loaded, 2, steps: 2);
        Assert.Equal(tile.Weights.ToArray(), loaded.Weights.ToArray());
    }
}
