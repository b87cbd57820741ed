using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

public class ValidationTests
{
    public static TheoryData<string, Func<TileConfig>> InvalidConfigs => new()
    {
        { "DwMin", () => new TileConfig { Device = new ConstantStepDevice { DwMin = 0 } } },
        { "DwMin", () => new TileConfig { Device = new LinearStepDevice { DwMin = -0.001f } } },
        { "WMin", () => new TileConfig { Device = new ConstantStepDevice { WMin = 0.1f, WMax = 0.6f } } },
        { "WMax", () => new TileConfig { Device = new ConstantStepDevice { WMin = -0.6f, WMax = -0.1f } } },
        { "WMin", () => new TileConfig { Device = new ConstantStepDevice { WMin = 0f, WMax = 0f } } },
        { "DesiredBl", () => new TileConfig { Device = new ConstantStepDevice(), Update = new UpdateConfig { DesiredBl = 0 } } },
        { "DesiredBl", () => new TileConfig { Update = new UpdateConfig { DesiredBl = UpdateConfig.MaxBl + 1 } } },
        { "DwMinStd", () => new TileConfig { Device = new ConstantStepDevice { DwMinStd = -0.1f } } },
        { "DwMinDtod", () => new TileConfig { Device = new ExpStepDevice { DwMinDtod = -1f } } },
        { "GammaUpDtod", () => new TileConfig { Device = new LinearStepDevice { GammaUpDtod = -0.05f } } },
        { "PowGamma", () => new TileConfig { Device = new PowStepDevice { PowGamma = float.NaN } } },
        { "UmGradScale", () => new TileConfig { Update = new UpdateConfig { UmGradScale = 0 } } },
        { "OutNoise", () => new TileConfig { Forward = new IOConfig { OutNoise = -0.06f } } },
        { "WNoise", () => new TileConfig { Backward = new IOConfig { WNoise = -1f } } },
        { "InpBound", () => new TileConfig { Forward = new IOConfig { InpBound = 0 } } },
        { "Lifetime", () => new TileConfig { Device = new LinearStepDevice { Lifetime = -1f } } },
        { "LifetimeDtod", () => new TileConfig { Device = new LinearStepDevice { LifetimeDtod = float.NaN } } },
        { "Reset", () => new TileConfig { Device = new ExpStepDevice { Reset = float.PositiveInfinity } } },
        { "ResetStd", () => new TileConfig { Device = new ExpStepDevice { ResetStd = -0.01f } } },
        { "ResetDtod", () => new TileConfig { Device = new ExpStepDevice { ResetDtod = -0.01f } } },
        { "Diffusion", () => new TileConfig { Device = new PowStepDevice { Diffusion = -0.001f } } },
        { "DiffusionDtod", () => new TileConfig { Device = new PowStepDevice { DiffusionDtod = float.NaN } } },
        { "WriteNoiseStd", () => new TileConfig { Device = new LinearStepDevice { WriteNoiseStd = -1f } } },
        { "WriteNoiseStd", () => new TileConfig { Device = new ConstantStepDevice { WriteNoiseStd = 1f } } }, // aihwkit's ConstantStep has none
        { "PowUpDownDtod", () => new TileConfig { Device = new PowStepDevice { PowUpDownDtod = -0.1f } } },
        { "PowGamma", () => new TileConfig { Device = new PowStepDevice { PowGamma = 200f } } }, // dw_min 0.5^200 underflows
        { "DwMinStdAdd", () => new TileConfig { Device = new ExpStepDevice { DwMinStdAdd = float.NaN } } },
        { "GammaUp", () => new TileConfig { Device = new ExpStepDevice { GammaUp = 200f } } }, // exp(gamma z) overflows in range
        { "GammaUp", () => new TileConfig { Device = new SoftBoundsDevice { GammaUp = 0.5f } } }, // soft bounds keep gamma 1
        { "ReferenceStd", () => new TileConfig { Device = new SoftBoundsReferenceDevice { ReferenceStd = -0.1f } } },
        { "SlopeUpDtod", () => new TileConfig { Device = new SoftBoundsReferenceDevice { SlopeUpDtod = float.PositiveInfinity } } },
        { "RefreshEvery", () => new TileConfig { Device = new OneSidedUnitCell { RefreshEvery = -1 } } },
        { "RefreshLowerThres", () => new TileConfig { Device = new OneSidedUnitCell { RefreshLowerThres = 0.9f } } },
        { "RefreshUpperThres", () => new TileConfig { Device = new OneSidedUnitCell { RefreshUpperThres = float.NaN } } },
        { "RefreshUpdate", () => new TileConfig { Device = new OneSidedUnitCell { RefreshUpdate = new UpdateConfig { PulseType = PulseType.None } } } },
        { "DwMin", () => new TileConfig { Device = new OneSidedUnitCell { Device = new ExpStepDevice { DwMin = 0 } } } },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void InvalidConfigThrowsNamingTheParameter(string parameter, Func<TileConfig> config)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new CrossbarTile(3, 3, config(), 1));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void DefaultConfigIsIdealAndExact()
    {
        var tile = new CrossbarTile(3, 4);
        var rng = new Xoshiro256(1);
        var d = Uniform(ref rng, 3); var x = Uniform(ref rng, 4);
        tile.Update(0.5f, d, x);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(-0.5f * d[i] * x[j], tile.Weights[i * 4 + j], 6);
        Assert.Equal(0, tile.Counters.TotalPulses);
        Assert.Equal(1, tile.Counters.RankOneWrites);
    }

    public static TheoryData<string, Action<CrossbarTile>> BadCalls => new()
    {
        { "x", t => t.Update(0.1f, new float[4], [1, float.NaN, 0, 0, 0]) },
        { "d", t => t.Update(0.1f, [0, 0, float.PositiveInfinity, 0], new float[5]) },
        { "learningRate", t => t.Update(float.NaN, new float[4], new float[5]) },
        { "d", t => t.Update(0.1f, new float[3], new float[5]) },
        { "x", t => t.Update(0.1f, new float[4], new float[6]) },
        { "d", t => t.UpdateRankK(0.1f, [1, 1], new float[4], new float[10]) },
        { "x", t => t.UpdateRankK(0.1f, [1, 1], Enumerable.Repeat(0.5f, 8).ToArray(), Enumerable.Repeat(0.5f, 9).Append(float.NegativeInfinity).ToArray()) },
        { "s", t => t.UpdateRankK(0.1f, [1, float.NaN], new float[8], new float[10]) },
        { "g", t => t.UpdateDense(0.1f, new float[19], 1) },
        { "g", t => t.UpdateDense(0.1f, Enumerable.Repeat(float.NaN, 20).ToArray(), 1) },
        { "rankOneEquivalent", t => t.UpdateDense(0.1f, new float[20], -1) },
        { "stride", t => t.UpdateDense(0.1f, new float[20], 4, 1) },
        { "g", t => t.UpdateDense(0.1f, new float[3 * 8 + 4], 8, 1) },                        // 4 rows at stride 8 need 29
        { "g", t => t.UpdateDense(0.1f, new float[32].Select((_, i) => i == 26 ? float.NaN : 0f).ToArray(), 8, 1) }, // row 3, col 2
        { "learningRate", t => t.UpdateDense(float.PositiveInfinity, new float[32], 8, 1) },
        { "weights", t => t.SetWeights(new float[21]) },
        { "weights", t => t.SetWeights(Enumerable.Repeat(float.NaN, 20).ToArray()) },
        { "inputs", t => t.Read(new float[9], 2, new float[8]) },
        { "outputs", t => t.Read(new float[10], 2, new float[7]) },
        { "inputs", t => t.Read([1, 2, 3, 4, float.NaN], 1, new float[4]) },
        { "errors", t => t.ReadTransposed(new float[7], 2, new float[10]) },
        { "outputs", t => t.ReadTransposed(new float[8], 2, new float[9]) },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void BadInputIsRejectedAndTheTileIsUnchanged(string parameter, Action<CrossbarTile> call)
    {
        var config = TileConfig.GokmenVlasov();
        var tile = new CrossbarTile(4, 5, config, 21);
        var twin = new CrossbarTile(4, 5, config, 21);
        ScriptedRun(tile, 3, steps: 2);
        ScriptedRun(twin, 3, steps: 2);
        var e = Assert.ThrowsAny<ArgumentException>(() => call(tile));
        Assert.Equal(parameter, e.ParamName);
        // Same state as a twin that never saw the bad call, including the random streams.
        ScriptedRun(tile, 4, steps: 2);
        ScriptedRun(twin, 4, steps: 2);
        Assert.Equal(twin.Weights.ToArray(), tile.Weights.ToArray());
        Assert.Equal(twin.Counters.PulsesPerDevice.ToArray(), tile.Counters.PulsesPerDevice.ToArray());
        Assert.Equal(twin.Counters.RankOneWrites, tile.Counters.RankOneWrites);
    }

    [Fact]
    public void SetWeightsClipsToDeviceBounds()
    {
        var tile = new CrossbarTile(2, 2, new TileConfig { Device = TileTestHelpers.CleanConstantStep(0.01f, bound: 0.5f) }, 1);
        tile.SetWeights([1f, -1f, 0.25f, 0f]);
        Assert.Equal(new[] { 0.5f, -0.5f, 0.25f, 0f }, tile.Weights.ToArray());
        var copy = new float[4];
        tile.GetWeights(copy);
        Assert.Equal(tile.Weights.ToArray(), copy);
        Assert.Equal(0, tile.Counters.RankOneWrites);
    }

    [Fact]
    public void ZeroInputsOrRateChangeNothingButCountTheWrite()
    {
        var tile = new CrossbarTile(3, 3, TileConfig.GokmenVlasov(), 1);
        tile.Update(0.1f, new float[3], [1, 2, 3]);
        tile.Update(0f, [1, 1, 1], [1, 2, 3]);
        Assert.All(tile.Weights.ToArray(), w => Assert.Equal(0f, w));
        Assert.Equal(2, tile.Counters.RankOneWrites);
        Assert.Equal(0, tile.Counters.TotalPulses);
    }
}

public class WriteRangeTests
{
    // A finite but absurd write on an unbounded (ideal) device is refused before anything changes, on every write path.
    [Fact]
    public void WritesThatWouldLeaveFloatRangeAreRefusedAndChangeNothing()
    {
        var tile = new CrossbarTile(3, 4);
        tile.SetWeights([1, -2, 3, 0, 0.5f, 0, 0, 0, 0, 0, 0, -1]);
        var before = tile.Weights.ToArray();
        float[] d = [3e38f, 0, 1], x = [3e38f, 1, 0, 0];
        Assert.Equal("learningRate", Assert.Throws<ArgumentException>(() => tile.Update(3e38f, d, x)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentException>(() => tile.Update(1e30f, [1e30f, 0, 0], [1e-30f, 0, 0, 0])).ParamName); // lr d alone overflows
        Assert.Equal("learningRate", Assert.Throws<ArgumentException>(() => tile.UpdateRankK(1f, [2e38f, 2e38f], [1, 0, 0, 1, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0])).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentException>(() => tile.UpdateDense(3e38f, Enumerable.Repeat(2f, 12).ToArray(), 1)).ParamName);
        Assert.Equal(before, tile.Weights.ToArray());
        Assert.Equal(0, tile.Counters.RankOneWrites);

        // Near the edge: writes that stay finite still go through, one that would cross is refused.
        tile.SetWeights(Enumerable.Repeat(1e38f, 12).ToArray());
        tile.Update(-1f, [1e38f, 0, 0], [1, 0, 0, 0]); // 2e38, finite
        Assert.Equal(2e38f, tile.Weights[0]);
        Assert.Throws<ArgumentException>(() => tile.Update(-1f, [2e38f, 0, 0], [1, 0, 0, 0]));
        Assert.Equal(2e38f, tile.Weights[0]);
        Assert.All(tile.Weights.ToArray(), w => Assert.True(float.IsFinite(w)));
    }
}
