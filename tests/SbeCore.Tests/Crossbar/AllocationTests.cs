using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

public class AllocationTests
{
    public static TheoryData<string> Configs => new() { "ConstantStep", "ConstantStepDI", "EcRamRounded", "LinearStep", "ExpStep", "None", "Ideal", "LongTrain", "TikiTaka", "PowStep", "ReRamSB", "Pcm" };

    private static TileConfig ConfigFor(string name) => name switch
    {
        "ConstantStep" => NoisyPreset(),
        "ConstantStepDI" => TileConfig.GokmenVlasov() with { Update = new UpdateConfig { PulseType = PulseType.DeterministicImplicit } },
        "EcRamRounded" => TileConfig.EcRam() with { Update = TileConfig.PresetUpdate() with { PulseType = PulseType.ImplicitStochasticRound } },
        "LinearStep" => TileConfig.EcRam(),
        "ExpStep" => TileConfig.ReRamES(),
        "None" => TileConfig.Capacitor() with { Update = new UpdateConfig { PulseType = PulseType.None } },
        "LongTrain" => TileConfig.GokmenVlasov() with { Update = new UpdateConfig { DesiredBl = 200, UpdateBlManagement = false } },
        "TikiTaka" => TileConfig.TikiTakaEcRam() with { Device = DevicePresets.TikiTakaEcRam() with { NReadsPerTransfer = 3, TransferForward = TileConfig.PresetIO() } },
        "PowStep" => new TileConfig { Device = new PowStepDevice() },
        "ReRamSB" => TileConfig.ReRamSB(),
        "Pcm" => TileConfig.Pcm(),
        _ => new TileConfig(),
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void SteadyStateWritesAndReadsAllocateNothing(string name)
    {
        const int rows = 40, cols = 30, n = 8;
        var tile = new CrossbarTile(rows, cols, ConfigFor(name), 5);
        var rng = new Xoshiro256(1);
        var d = Uniform(ref rng, rows); var x = Uniform(ref rng, cols);
        var dk = Uniform(ref rng, 3 * rows); var xk = Uniform(ref rng, 3 * cols);
        float[] s = [1f, 0.5f, 0.25f];
        var g = Uniform(ref rng, rows * cols);
        var inputs = Uniform(ref rng, n * cols, 3f); var errors = Uniform(ref rng, n * rows, 3f);
        var outF = new float[n * rows]; var outB = new float[n * cols];
        void Run()
        {
            for (int t = 0; t < 20; t++)
            {
                tile.Update(0.05f, d, x);
                tile.UpdateRankK(0.05f, s, dk, xk);
                tile.UpdateDense(0.05f, g, 3);
                tile.Read(inputs, n, outF);
                tile.ReadTransposed(errors, n, outB);
                tile.PostUpdateStep(); // a transfer compound transfers here
            }
        }
        Run(); // warm up: scratch grows to the batch size, JIT tiers settle
        SteadyState.AssertAllocatesNothing(Run);
        Assert.True(name == "Ideal" || name == "None" || tile.Counters.TotalPulses > 0);
        Assert.True(name != "TikiTaka" || tile.TransferWrites > 0);
    }
}
